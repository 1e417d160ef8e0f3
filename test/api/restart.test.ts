// Durability: SIGKILL between two steps, restart on the same DATA_DIR, the instance goes on; a
// timer that fell due while the server was down fires at start, the others keep their due time;
// a timer start event starts one instance per firing, none twice, and follows a redeploy.
import { afterEach, describe, expect, it } from 'vitest';
import { Client, startServer, tempDir, waitFor, type Server } from '../support/server.js';

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  servers = [];
});

const boot = async (dataDir: string) => {
  const s = await startServer({ dataDir });
  servers.push(s);
  return s;
};

describe('kill -9 and restart', () => {
  it('continues every instance from its last acknowledged step, firing the overdue timer on start', async () => {
    const dataDir = tempDir();
    let server = await boot(dataDir);
    let staff = await Client.signIn(server.url, 'town-a.staff');

    // A: waits at the message with a 2 s reply deadline; B: waits at the user task (90-day reminder).
    const a = (await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'review', variables: { caseNo: 'K-A' } })).body;
    const b = (await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'review', variables: { caseNo: 'K-B' } })).body;
    const taskA = (await staff.get('/api/tasks?status=open&limit=200')).body.items.find((t: any) => t.instanceId === a.id);
    const ack = await staff.post(`/api/tasks/${taskA.id}/complete`, { data: { kind: 'b', count: 1, expected: 5, present: 5 } });
    expect(ack.status).toBe(200);
    const remindDue = (await staff.get(`/api/instances/${b.id}`)).body;

    await server.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 2500)); // A's reply deadline passes while the server is down
    const downSince = Date.now();

    server = await boot(dataDir);
    staff = await Client.signIn(server.url, 'town-a.staff');
    const lapsed = await waitFor(async () => {
      const i = (await staff.get(`/api/instances/${a.id}`)).body;
      return i.status === 'completed' && i;
    }, 10_000, 'the overdue timer to fire after restart');
    expect(lapsed.history.map((h: any) => h.elementId)).toEqual(expect.arrayContaining(['check', 'route', 'lapse', 'end-lapsed']));
    expect(Date.parse(lapsed.endedAt)).toBeGreaterThanOrEqual(downSince);
    // The completion acknowledged before the kill is there exactly once.
    expect(lapsed.history.filter((h: any) => h.elementId === 'check')).toHaveLength(1);

    // B still waits at its task with the same reminder; it was not fired nor restarted.
    const stillB = (await staff.get(`/api/instances/${b.id}`)).body;
    expect(stillB.status).toBe('active');
    expect(stillB.active).toEqual(remindDue.active);
    const openB = (await staff.get('/api/tasks?status=open&limit=200')).body.items.filter((t: any) => t.instanceId === b.id);
    expect(openB).toHaveLength(1);
    const done = await staff.post(`/api/tasks/${openB[0].id}/complete`, { data: { kind: 'a', count: 1, expected: 5, present: 4 } });
    expect(done.status).toBe(200);
    expect((await staff.get(`/api/instances/${b.id}`)).body.status).toBe('completed');
  });
});

const xml = (cycle: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="ticking" name="定期会议" isExecutable="true">
    <bpmn:startEvent id="every" name="定期发起"><bpmn:outgoing>f1</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeCycle>${cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="every" targetRef="meet"/>
    <bpmn:userTask id="meet" name="开会"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="meet" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

const ticking = async (c: Client) => (await c.get('/api/instances?jurisdiction=town-a&processKey=ticking&limit=200')).body.items;

describe('timer start events', () => {
  it('starts one instance per firing of R4/PT1S, none twice across a kill -9 restart', async () => {
    const dataDir = tempDir();
    let server = await boot(dataDir);
    let official = await Client.signIn(server.url, 'town-a.official');
    expect((await official.put('/api/processes/town-a/ticking', { xml: xml('R4/PT1S'), baseVersion: 0 })).status).toBe(201);
    await waitFor(async () => (await ticking(official)).length >= 1, 10_000, 'the first firing');
    await server.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 2500)); // firings fall due while the server is down
    server = await boot(dataDir);
    official = await Client.signIn(server.url, 'town-a.official');
    await waitFor(async () => (await ticking(official)).length >= 4, 10_000, 'all four firings');
    await new Promise((r) => setTimeout(r, 2000)); // the cycle is spent: nothing more
    const started = await ticking(official);
    expect(started).toHaveLength(4);
    expect(started.every((i: any) => i.startedBy === 'system' && i.status === 'active' && i.active[0]?.elementId === 'meet')).toBe(true);
  });

  it('replaces the schedule when the process is redeployed', async () => {
    const server = await boot(tempDir());
    const official = await Client.signIn(server.url, 'town-a.official');
    expect((await official.put('/api/processes/town-a/ticking', { xml: xml('R/PT1H'), baseVersion: 0 })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ticking(official)).toHaveLength(0);
    expect((await official.put('/api/processes/town-a/ticking', { xml: xml('R2/PT0.5S'), baseVersion: 1 })).status).toBe(201);
    await waitFor(async () => (await ticking(official)).length >= 2, 10_000, 'the new cycle');
    await new Promise((r) => setTimeout(r, 1500));
    const started = await ticking(official);
    expect(started.map((i: any) => i.version)).toEqual([2, 2]);
  });
});
