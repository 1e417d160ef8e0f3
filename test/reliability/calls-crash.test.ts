// A call activity's child is started right after its parent's step is committed, not in the same
// write (server/domain/runtime/calls.ts): a server killed in between leaves the call without its
// child until a sweep (every server, every CALL_SWEEP_MS) starts it under an id made from the call.
// Here three servers on one MongoDB (FerretDB) start callers while a random one is killed with SIGKILL
// every second: afterwards every caller the store holds, acknowledged or not, has exactly one child,
// and completing the children's tasks completes every caller.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clusterEnv, dropDatabase, killEverySecond, type Chaos } from '../support/cluster.js';
import { Client, startServer, waitFor, type Server } from '../support/server.js';

const SERVERS = 3;
const KILLS = 6;
/** Between one starter's starts: enough callers to be cut off, few enough to check quickly. */
const PACE_MS = 200;

const BPMN = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const diagram = (id: string, name: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${BPMN} id="d-${id}" targetNamespace="t"><bpmn:process id="${id}" name="${name}" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
const CALLER = diagram('crash-caller', '调用方', `
  <bpmn:startEvent id="s"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call"/>
  <bpmn:callActivity id="call" name="调用子流程"><bpmn:extensionElements><zeebe:calledElement processId="crash-work"/></bpmn:extensionElements></bpmn:callActivity>
  <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="e"/>
  <bpmn:endEvent id="e"/>`);
const CALLED = diagram('crash-work', '子流程', `
  <bpmn:startEvent id="cs"/>
  <bpmn:sequenceFlow id="c1" sourceRef="cs" targetRef="work"/>
  <bpmn:userTask id="work" name="子流程办理"/>
  <bpmn:sequenceFlow id="c2" sourceRef="work" targetRef="ce"/>
  <bpmn:endEvent id="ce"/>`);

const dbName = `yishi_calls_${process.pid}_${Date.now()}`;
let uri = '';
let env: Record<string, string> = {};
let servers: Server[] = [];
let staff: Client[] = [];

beforeAll(async () => {
  uri = inject('mongodbUri');
  if (!uri) throw new Error(`no MongoDB-protocol server: ${inject('serversProblem')}`);
  env = clusterEnv(uri, dbName);
  servers = await Promise.all(Array.from({ length: SERVERS }, () => startServer({ env })));
  const official = await Client.signIn(servers[0].url, 'town-a.official');
  expect((await official.put('/api/processes/town-a/crash-work', { xml: CALLED, baseVersion: 0 })).status).toBe(201);
  expect((await official.put('/api/processes/town-a/crash-caller', { xml: CALLER, baseVersion: 0 })).status).toBe(201);
  const session = await Client.signIn(servers[0].url, 'town-a.staff');
  staff = servers.map((s) => session.on(s.url));
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  if (uri) await dropDatabase(uri, dbName);
});

describe('call activities while servers are killed', () => {
  it(`gives every caller exactly one child across ${KILLS} kills`, { timeout: 300_000 }, async () => {
    let acknowledged = 0;
    let unanswered = 0;
    const errors: string[] = [];
    async function starter({ pick, stopping }: Chaos) {
      while (!stopping()) {
        try {
          const res = await staff[pick()].post('/api/instances', { jurisdiction: 'town-a', processKey: 'crash-caller' });
          if (res.status === 201) acknowledged++;
          else errors.push(`${res.status} ${JSON.stringify(res.body)}`);
        } catch {
          unanswered++; // killed under the request: the caller may or may not be stored, with or without its child
        }
        await new Promise((r) => setTimeout(r, PACE_MS));
      }
    }
    const killed = await killEverySecond(servers, KILLS, async (s) => {
      servers[s] = await startServer({ env });
      staff[s] = staff[(s + 1) % SERVERS].on(servers[s].url);
    }, (chaos) => servers.map(() => starter(chaos)));
    expect(errors).toEqual([]);

    const callers = await staff[0].all('/api/instances?jurisdiction=town-a&processKey=crash-caller&limit=200');
    expect(callers.length).toBeGreaterThanOrEqual(acknowledged);
    // Each caller waits at its call with one child: at once, or after a sweep (5 s) once the dead server's lease lapsed.
    const views = await waitFor(async () => {
      const all = await Promise.all(callers.map(async (c: any) => (await staff[0].get(`/api/instances/${c.id}`)).body));
      return all.every((v) => v.children.length >= 1) && all;
    }, 60_000, 'every caller to have its child');
    for (const v of views) expect(v.children, v.id).toHaveLength(1);
    await Promise.all(views.map(async (v) => {
      const [work] = (await staff[0].get(`/api/tasks?status=open&instanceId=${v.children[0].id}`)).body.items;
      expect((await staff[1].post(`/api/tasks/${work.id}/complete`, { data: {} })).status).toBe(200);
    }));
    await waitFor(async () => {
      const all = await Promise.all(callers.map(async (c: any) => (await staff[2].get(`/api/instances/${c.id}`)).body));
      return all.every((v) => v.status === 'completed' && v.children.length === 1);
    }, 60_000, 'every caller to end with its one child');
    console.log(
      `calls: killed servers ${killed.join(', ')}; ${callers.length} callers stored (${acknowledged} acknowledged, ${unanswered} unanswered), ` +
        'each with exactly one child; all completed',
    );
  });
});
