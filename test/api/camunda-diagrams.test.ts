// Diagrams drawn for Camunda 8 (test/fixtures/deploy) deployed and run through real HTTP on the
// embedded engine: a file's every executable process becomes a process of its own, a form naming no
// Yishi form deploys with a warning, script tasks run.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startServer, waitFor, type Server } from '../support/server.js';

const fixture = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/deploy', `${name}.bpmn`), 'utf8');

let server: Server;
let staff: Client;
let official: Client;

const tasksOf = async (instanceId: string) => (await staff.get(`/api/tasks?status=open&limit=200&instanceId=${instanceId}`)).body.items;

beforeAll(async () => {
  server = await startServer();
  staff = await Client.signIn(server.url, 'town-a.staff');
  official = await Client.signIn(server.url, 'town-a.official');
});
afterAll(async () => {
  await server?.stop();
});

describe('diagrams drawn for Camunda 8', () => {
  it('deploys every executable process of a file as its own key, in one write, and a call between them runs', async () => {
    const xml = fixture('process-calls-sibling');
    const first = await official.put('/api/processes/town-a/Process_main', { xml, baseVersion: 0 });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ key: 'Process_main', version: 1, others: [{ key: 'Process_child', name: '子流程', version: 1 }] });
    const listed = (await official.get('/api/processes?jurisdiction=town-a')).body.map((p: { key: string }) => p.key);
    expect(listed).toEqual(expect.arrayContaining(['Process_main', 'Process_child']));
    // Deployed again, both move on together; the audit names the file's main key on the other.
    const again = await official.put('/api/processes/town-a/Process_main', { xml, baseVersion: 1 });
    expect(again.body).toMatchObject({ version: 2, others: [{ key: 'Process_child', version: 2 }] });

    const started = await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'Process_main', variables: { caseNo: 'C-1' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const child = started.body.children[0];
    expect(child).toMatchObject({ processKey: 'Process_child' });
    const [work] = await tasksOf(child.id);
    expect(work.elementId).toBe('Activity_c');
    expect((await staff.post(`/api/tasks/${work.id}/complete`, { data: { result: '办结' } })).status).toBe(200);
    const view = await waitFor(async () => {
      const v = (await staff.get(`/api/instances/${started.body.id}`)).body;
      return v.status === 'completed' && v;
    }, 5000, 'the main process completes');
    // propagateAllChildVariables="false": the child's result stays in the child.
    expect(view.variables).toEqual({ caseNo: 'C-1' });
  });

  it('deploys a user task with a Camunda form (embedded form-js): the form converts, so there is nothing to warn of', async () => {
    const res = await official.put('/api/processes/town-a/Process_form_embedded', { xml: fixture('form-embedded-user-task-form'), baseVersion: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.warnings ?? []).toEqual([]);
  });

  it('runs script tasks: the result variable decides the gateway after it', async () => {
    const deployed = await official.put('/api/processes/town-a/Process_script_gw', { xml: fixture('script-then-gateway'), baseVersion: 0 });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    const started = await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'Process_script_gw', variables: { yes: 5, no: 2 } });
    expect(started.status).toBe(201);
    expect((await tasksOf(started.body.id)).map((t: { elementId: string }) => t.elementId)).toEqual(['Activity_publish']);
    const view = (await staff.get(`/api/instances/${started.body.id}`)).body;
    expect(view.variables).toMatchObject({ yes: 5, no: 2, passed: true });
    expect(view.history.map((h: { elementId: string }) => h.elementId)).toContain('Activity_pass');
  });
});

describe('signals, each broadcast in one jurisdiction', () => {
  it('wakes the waits and starts the signal-start processes of that jurisdiction only, and checks who broadcasts', async () => {
    const root = await Client.signIn(server.url, 'root.official');
    for (const [file, key] of [['signal-catch-boundary-event-subprocess', 'signal-events'], ['signal-start-feel-constant', 'Process_signal']]) {
      const res = await root.put(`/api/processes/root/${key}`, { xml: fixture(file), baseVersion: 0 });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const staffB = await Client.signIn(server.url, 'town-b.staff');
    const a = (await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'signal-events', variables: {} })).body;
    const b = (await staffB.post('/api/instances', { jurisdiction: 'town-b', processKey: 'signal-events', variables: {} })).body;
    const elements = async (c: Client, id: string) => (await c.get(`/api/instances/${id}`)).body.active.map((w: { elementId: string }) => w.elementId).sort();
    expect(await elements(staff, a.id)).toEqual(['esp-start', 'on-stop', 'wait-go', 'work']);

    const go = await staff.post('/api/signals/broadcast', { jurisdiction: 'town-a', signalName: 'go', variables: { g: 1 } });
    expect(go.status, JSON.stringify(go.body)).toBe(200);
    expect(go.body).toMatchObject({ woken: [a.id], started: [] });
    expect(await elements(staff, a.id)).toEqual(['after', 'esp-start', 'on-stop', 'work']);
    expect((await staff.get(`/api/instances/${a.id}`)).body.variables).toMatchObject({ g: 1 });
    expect(await elements(staffB, b.id)).toEqual(['esp-start', 'on-stop', 'wait-go', 'work']);

    // A signal start event: one instance in the jurisdiction, started at that event, which then throws 村民大会 and ends.
    const meeting = await staff.post('/api/signals/broadcast', { jurisdiction: 'town-a', signalName: '开会' });
    expect(meeting.body.started).toHaveLength(1);
    const started = (await staff.get(`/api/instances/${meeting.body.started[0]}`)).body;
    expect(started).toMatchObject({ jurisdiction: 'town-a', processKey: 'Process_signal', status: 'completed' });
    expect(started.history.map((h: { elementId: string }) => h.elementId)).toEqual(['StartEvent_1', 'Event_broadcast', 'EndEvent_1']);

    // Nobody broadcasts where they have no role; a broadcast needs a name.
    expect((await staffB.post('/api/signals/broadcast', { jurisdiction: 'town-a', signalName: 'stop' })).status).toBe(403);
    expect((await staff.post('/api/signals/broadcast', { jurisdiction: 'town-a' })).status).toBe(400);
    expect(await elements(staff, a.id)).toContain('work');

    const stop = await staffB.post('/api/signals/broadcast', { jurisdiction: 'town-b', signalName: 'stop', variables: { why: '撤回' } });
    expect(stop.body.woken).toEqual([b.id]);
    expect(await elements(staffB, b.id)).toEqual(['esp-start', 'stopped', 'wait-go']);
  });
});

describe('a signal thrown by an instance', () => {
  it('goes out once its step is committed, with the event\'s local variables, and its own catch takes it', async () => {
    const root = await Client.signIn(server.url, 'root.official');
    expect((await root.put('/api/processes/root/signal-throw', { xml: fixture('signal-throw-input-mapping'), baseVersion: 0 })).status).toBe(201);
    const inst = (await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'signal-throw', variables: {} })).body;
    const [send] = await tasksOf(inst.id);
    expect(send.elementId).toBe('send');
    expect((await staff.post(`/api/tasks/${send.id}/claim`)).status).toBe(200);
    expect((await staff.post(`/api/tasks/${send.id}/complete`, { data: {} })).status).toBe(200);
    const pinged = await waitFor(async () => (await tasksOf(inst.id)).find((t: { elementId: string }) => t.elementId === 'pinged'), 5000, 'the caught signal');
    expect(pinged).toBeTruthy();
    expect((await staff.get(`/api/instances/${inst.id}`)).body.variables).toMatchObject({ from: 'throw' });
  });
});

describe('one broadcast, two waits of an instance', () => {
  it('skips a wait that the first catch ended (an interrupting event sub-process ends the task with its boundary event), without an incident', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://yishi.example/test">
  <bpmn:signal id="x" name="停办" />
  <bpmn:process id="signal-twice" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="work"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="on-task" attachedToRef="work"><bpmn:outgoing>f3</bpmn:outgoing><bpmn:signalEventDefinition signalRef="x" /></bpmn:boundaryEvent>
    <bpmn:endEvent id="e1"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="e2"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="work" /><bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="e1" /><bpmn:sequenceFlow id="f3" sourceRef="on-task" targetRef="e2" />
    <bpmn:subProcess id="esp" triggeredByEvent="true">
      <bpmn:startEvent id="esp-s"><bpmn:outgoing>f4</bpmn:outgoing><bpmn:signalEventDefinition signalRef="x" /></bpmn:startEvent>
      <bpmn:userTask id="wrap"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff" /></bpmn:extensionElements><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing></bpmn:userTask>
      <bpmn:endEvent id="esp-e"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="f4" sourceRef="esp-s" targetRef="wrap" /><bpmn:sequenceFlow id="f5" sourceRef="wrap" targetRef="esp-e" />
    </bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`;
    expect((await official.put('/api/processes/town-a/signal-twice', { xml, baseVersion: 0 })).status).toBe(201);
    const inst = (await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'signal-twice', variables: {} })).body;
    const res = await staff.post('/api/signals/broadcast', { jurisdiction: 'town-a', signalName: '停办' });
    expect(res.body.woken).toEqual([inst.id]);
    const after = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(after).toMatchObject({ status: 'active', incident: null });
    expect(after.active.map((a: { elementId: string }) => a.elementId)).toEqual(['wrap']);
  });
});
