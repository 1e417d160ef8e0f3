// A call activity whose child could not be started with the parent's step (a crash in between, or
// the called process not deployed yet) gets its child from the scheduler's sweep, once, and the
// parent then goes on as usual.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startServer, waitFor, type Server } from '../support/server.js';

let server: Server;

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const diagram = (id: string, name: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${BPMN} id="d-${id}" targetNamespace="t"><bpmn:process id="${id}" name="${name}" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;

const caller = diagram('late-caller', '调用方', `
  <bpmn:startEvent id="s"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call"/>
  <bpmn:callActivity id="call" name="调用子流程"><bpmn:extensionElements><zeebe:calledElement processId="late-work"/></bpmn:extensionElements></bpmn:callActivity>
  <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="e"/>
  <bpmn:endEvent id="e"/>`);
const called = diagram('late-work', '后部署的流程', `
  <bpmn:startEvent id="cs"/>
  <bpmn:sequenceFlow id="c1" sourceRef="cs" targetRef="work"/>
  <bpmn:userTask id="work" name="子流程办理"/>
  <bpmn:sequenceFlow id="c2" sourceRef="work" targetRef="ce"/>
  <bpmn:endEvent id="ce"/>`);

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('a call without its child', () => {
  it('gets its child from the sweep once the called process exists, and the parent ends with it', { timeout: 60_000 }, async () => {
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    const staff = await Client.signIn(server.url, 'town-a.staff');
    expect((await admin.put('/api/processes/town-a/late-caller', { xml: caller, baseVersion: 0 })).status).toBe(201);
    // The parent's step is stored; its child cannot start: there is no such process yet.
    const refused = await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'late-caller' });
    expect(refused.status).toBe(404);
    const [parent] = (await staff.get('/api/instances?jurisdiction=town-a&processKey=late-caller&limit=10')).body.items;
    expect([parent.status, (await staff.get(`/api/instances/${parent.id}`)).body.children]).toEqual(['active', []]);

    expect((await admin.put('/api/processes/root/late-work', { xml: called, baseVersion: 0 })).status).toBe(201);
    const [child] = await waitFor(async () => {
      const children = (await staff.get(`/api/instances/${parent.id}`)).body.children;
      return children.length && children;
    }, 20_000, 'the sweep to start the child');
    const [work] = (await staff.get(`/api/tasks?status=open&instanceId=${child.id}`)).body.items;
    expect((await staff.post(`/api/tasks/${work.id}/complete`, { data: {} })).status).toBe(200);
    await waitFor(async () => (await staff.get(`/api/instances/${parent.id}`)).body.status === 'completed', 10_000, 'the parent to end');
    // Swept again and again meanwhile: still the one child.
    expect((await staff.get(`/api/instances/${parent.id}`)).body.children).toHaveLength(1);
  });
});
