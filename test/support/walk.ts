// Walking a shipped procedure through the HTTP API: start it, complete its open tasks by element id.
import { expect } from 'vitest';
import type { Client } from './server.js';

export async function startInstance(client: Client, jurisdiction: string, processKey: string, variables?: Record<string, unknown>) {
  const res = await client.post('/api/instances', { jurisdiction, processKey, ...(variables && { variables }) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

/** An open task at the element; `where` picks a multi-instance task by its own variables (`{ village: '甲村' }`). */
export async function openTask(client: Client, instanceId: string, elementId: string, where: Record<string, unknown> = {}) {
  const open = (await client.get(`/api/tasks?status=open&limit=200`)).body.items.filter((t: any) => t.instanceId === instanceId);
  const task = open.find((t: any) => t.elementId === elementId && Object.entries(where).every(([k, v]) => JSON.stringify(t.locals?.[k]) === JSON.stringify(v)));
  expect(task, `open task ${elementId} ${JSON.stringify(where)} among ${open.map((t: any) => t.elementId)}`).toBeTruthy();
  return task;
}

export async function completeNext(client: Client, instanceId: string, elementId: string, data: Record<string, unknown>, where?: Record<string, unknown>) {
  const task = await openTask(client, instanceId, elementId, where);
  const res = await client.post(`/api/tasks/${task.id}/complete`, { data });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

export async function instance(client: Client, id: string) {
  return (await client.get(`/api/instances/${id}`)).body;
}
