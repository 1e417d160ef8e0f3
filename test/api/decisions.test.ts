// DMN through real HTTP: a DMN document deploys beside the diagrams (versioned, stale baseVersion
// → 409, refused documents → 422), a business rule task evaluates it for the instance's jurisdiction
// (a child's own table wins), a missing decision is an incident that a retry clears once deployed,
// and rule-set bundles carry the documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dmn } from '../support/dmn.js';
import { ADMIN_PASSWORD, Client, startServer, type Server } from '../support/server.js';

let server: Server;
let admin: Client;
let official: Client;
let officialB: Client;

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
/** start → business rule task (decisionId → resultVariable) → user task, so the result can be read while it waits. */
const diagram = (id: string, decisionId: string, resultVariable: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${BPMN} id="d-${id}" targetNamespace="t"><bpmn:process id="${id}" name="分类" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="classify"/>
    <bpmn:businessRuleTask id="classify" name="判定类别">
      <bpmn:extensionElements><zeebe:calledDecision decisionId="${decisionId}" resultVariable="${resultVariable}"/></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:businessRuleTask>
    <bpmn:sequenceFlow id="f2" sourceRef="classify" targetRef="wait"/>
    <bpmn:userTask id="wait" name="处理"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
  </bpmn:process></bpmn:definitions>`;

const table = (bigFrom: number) =>
  dmn('matter-class', [{
    id: 'matterClass', name: '事项分类', hitPolicy: 'FIRST', inputs: ['category', 'households'], outputs: [{ name: 'class' }],
    rules: [[['"infrastructure"', '-'], ['"大事"']], [['-', `>= ${bigFrom}`], ['"大事"']], [['"dispute"', '-'], ['"私事"']], [['-', '-'], ['"小事"']]],
  }]);

beforeAll(async () => {
  server = await startServer();
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  official = await Client.signIn(server.url, 'root.official');
  officialB = await Client.signIn(server.url, 'town-a.official');
});
afterAll(async () => {
  await server?.stop();
});

const start = async (c: Client, jurisdiction: string, processKey: string, variables: object) => {
  const res = await c.post('/api/instances', { jurisdiction, processKey, variables });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (await c.get(`/api/instances/${res.body.id}`)).body;
};

describe('DMN decision tables', () => {
  it('refuses a DMN document that would not deploy on Zeebe, and one under another key, changing nothing', async () => {
    const bad = dmn('matter-class', [{ id: 'matterClass', inputs: ['category +'], outputs: [{ name: 'class' }], rules: [] }]);
    const res = await official.put('/api/decisions/root/matter-class', { xml: bad, baseVersion: 0 });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('/xml#matterClass');
    const wrongKey = await official.put('/api/decisions/root/other', { xml: table(10), baseVersion: 0 });
    expect(wrongKey.status).toBe(422);
    expect(wrongKey.body.errors[0].message).toMatch(/definitions id/);
    expect((await official.get('/api/decisions?jurisdiction=root')).body).toEqual([]);
  });

  it('a missing decision is an incident; deployed, the retry evaluates it and the result becomes the variable', async () => {
    const deployed = await official.put('/api/processes/root/triage-dmn', { xml: diagram('triage-dmn', 'matterClass', 'matterClass'), baseVersion: 0 });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const inst = await start(official, 'root', 'triage-dmn', { category: 'road', households: 3 });
    expect(inst.status).toBe('incident');
    expect(inst.incident.elementId).toBe('classify');
    expect(inst.incident.message).toMatch(/matterClass/);

    const res = await official.put('/api/decisions/root/matter-class', { xml: table(10), baseVersion: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ key: 'matter-class', version: 1, definedAt: 'root', decisions: [{ id: 'matterClass', name: '事项分类' }] });
    expect((await official.put('/api/decisions/root/matter-class', { xml: table(10), baseVersion: 0 })).status).toBe(409);

    expect((await official.post(`/api/instances/${inst.id}/retry`, {})).status).toBe(200);
    const after = (await official.get(`/api/instances/${inst.id}`)).body;
    expect(after.status).toBe('active');
    expect(after.variables.matterClass).toBe('小事');
    expect(after.history.map((h: { elementId: string }) => h.elementId)).toContain('classify');
    expect((await start(official, 'root', 'triage-dmn', { category: 'dispute', households: 1 })).variables.matterClass).toBe('私事');
    expect((await start(official, 'root', 'triage-dmn', { category: 'dispute', households: 40 })).variables.matterClass).toBe('大事');
  });

  it('a child jurisdiction sees the parent’s table until it deploys its own, which then wins there only', async () => {
    expect((await officialB.get('/api/decisions?jurisdiction=town-a')).body).toEqual([{ key: 'matter-class', name: 'matter-class', version: 1, definedAt: 'root' }]);
    expect((await start(officialB, 'town-a', 'triage-dmn', { category: 'road', households: 12 })).variables.matterClass).toBe('大事');
    const own = await officialB.put('/api/decisions/town-a/matter-class', { xml: table(20), baseVersion: 1 });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body).toMatchObject({ version: 2, definedAt: 'town-a' });
    expect((await start(officialB, 'town-a', 'triage-dmn', { category: 'road', households: 12 })).variables.matterClass).toBe('小事');
    expect((await start(official, 'root', 'triage-dmn', { category: 'road', households: 12 })).variables.matterClass).toBe('大事');
    const read = await officialB.get('/api/decisions/town-a/matter-class');
    expect(read.body).toMatchObject({ key: 'matter-class', version: 2, definedAt: 'town-a' });
    expect(read.body.xml).toContain('&gt;= 20');
  });

  it('rule-set bundles carry DMN documents: exported, imported again, and checked on import', async () => {
    const bundle = (await admin.get('/api/rulesets/town-a')).body;
    expect(bundle.decisions).toEqual([{ key: 'matter-class', xml: table(20) }]);
    const broken = { ...bundle, decisions: [{ key: 'matter-class', xml: table(20).replace('&gt;= 20', '[1..') }] };
    const refused = await admin.post('/api/rulesets', broken);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].path).toMatch(/^\/decisions\/0\/xml#/);
    expect((await admin.post('/api/rulesets', { ...bundle, decisions: [{ key: 'matter-class', xml: table(30) }] })).status).toBe(201);
    expect((await officialB.get('/api/decisions/town-a/matter-class')).body.version).toBe(3);
  });
});
