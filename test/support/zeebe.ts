// Zeebe-mode helpers: small diagrams imported as a rule set, and a look at the store for the Zeebe
// process instance behind a Yishi instance (the API does not show engine keys).
import path from 'node:path';
import Database from 'better-sqlite3';
import { Camunda8 } from '@camunda8/sdk';
import { expect } from 'vitest';
import type { Client, Server } from './server.js';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';

/**
 * A BPMN document of one process. A node is `tag attributes|content before the flows|content after`
 * (the schema's order); flows are [id, from, to, condition?], written into their nodes too (Zeebe
 * reads them there).
 */
export function diagram(key: string, nodes: Record<string, string>, flows: [string, string, string, string?][]): string {
  const body = Object.entries(nodes).map(([id, tagged]) => {
    const [, tag, rest] = /^(\w+)(.*)$/s.exec(tagged)!;
    const out = flows.filter((f) => f[1] === id).map((f) => `<bpmn:outgoing>${f[0]}</bpmn:outgoing>`).join('');
    const inc = flows.filter((f) => f[2] === id).map((f) => `<bpmn:incoming>${f[0]}</bpmn:incoming>`).join('');
    const [attrs, before = '', after = ''] = rest.split('|');
    return `<bpmn:${tag} id="${id}"${attrs}>${before}${inc}${out}${after}</bpmn:${tag}>`;
  });
  const seq = flows.map(([id, from, to, cond]) =>
    `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${cond ? `<bpmn:conditionExpression>${cond}</bpmn:conditionExpression>` : ''}</bpmn:sequenceFlow>`);
  return `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${NS} id="defs" targetNamespace="http://yishi.example/zeebe">
<bpmn:process id="${key}" name="${key}" isExecutable="true">${body.join('')}${seq.join('')}</bpmn:process></bpmn:definitions>`;
}

export const userTask = (name: string) => ` name="${name}"|<bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff" /></bpmn:extensionElements>`;

/** Imports a jurisdiction under national holding these processes. */
export async function importProcesses(admin: Client, jurisdiction: string, processes: Record<string, string>) {
  const res = await admin.post('/api/rulesets', {
    jurisdiction: { id: jurisdiction, name: `测试 ${jurisdiction}`, parent: 'national' },
    parameters: {},
    processes: Object.entries(processes).map(([key, xml]) => ({ key, xml })),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

export function processInstanceKey(server: Server, instanceId: string): string {
  const db = new Database(path.join(server.dataDir, 'yishi.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT engine_state FROM instances WHERE id = ?').get(instanceId) as { engine_state: string };
    return JSON.parse(row.engine_state).processInstanceKey;
  } finally {
    db.close();
  }
}

export function zeebeClient(address: string) {
  return new Camunda8({
    ZEEBE_GRPC_ADDRESS: address, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_SECURE_CONNECTION: false, CAMUNDA_OAUTH_DISABLED: true,
    ZEEBE_CLIENT_LOG_LEVEL: 'NONE', CAMUNDA_LOG_LEVEL: 'error',
  } as any).getZeebeGrpcApiClient();
}

export async function tasksOf(client: Client, instanceId: string) {
  return (await client.get(`/api/tasks?instanceId=${instanceId}&limit=200`)).body.items as { id: string; elementId: string; status: string }[];
}
