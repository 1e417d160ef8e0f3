// Several servers on ENGINE=zeebe (docs/zeebe.md, "Several servers"): 3 Yishi servers on one MongoDB
// (FerretDB here) and one broker with the Yishi exporter, each server pulling every record under its
// own consumer id. The same request sent through different servers at the same moment has exactly
// one winner — the job completion in Zeebe decides, the others hear 409 and nothing of theirs is
// kept — and the winner's data is what the task, the history and the variables show; no 5xx. Then a
// random server is killed (SIGKILL) every second under load: every acknowledged completion is
// mirrored exactly once, every timer the broker fires (the reply deadline) and every timer start
// Yishi schedules fires exactly once, and the other servers carry on. Last, /api/health answers
// 503 on every server once the broker is gone. Heavy (its own broker): run it on its own.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBroker, type Broker } from '../support/broker.js';
import { claimRace, clusterEnv, completeRace, dropDatabase, taskOf, viewOf, completionLoad, killEverySecond, openReviewTask, startCluster, submission, tickingXml, winnerOf } from '../support/cluster.js';
import { Client, startServer, waitFor, type Response, type Server } from '../support/server.js';

const SERVERS = 3;
const ROUNDS = { complete: 30, claim: 25, cancel: 25, message: 20 };
const KILLS = 8;
const TICKS = 4;
const LOAD_INSTANCES = 24;

/**
 * The review fixture's task and then the end: a completion ends the case in its own step (on Zeebe,
 * the fixture's kind a goes on to a service job, after which a cancel is a later, separate success).
 */
const SINGLE = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="single-defs" targetNamespace="t">
  <bpmn:process id="single" name="一步办结" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
    <bpmn:userTask id="check" name="审查">
      <bpmn:extensionElements>
        <zeebe:formDefinition formKey="check-form"/>
        <zeebe:assignmentDefinition candidateGroups="staff"/>
        <zeebe:ioMapping><zeebe:output source="=kind" target="kind"/><zeebe:output source="=count * 2" target="doubled"/></zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/>
    <bpmn:endEvent id="end" name="办结"/>
  </bpmn:process>
</bpmn:definitions>`;

const dbName = `yishi_zservers_${process.pid}_${Date.now()}`;
let uri = '';
let broker: Broker | null = null;
let env: Record<string, string> = {};
let servers: Server[] = [];
let racers: Client[][] = [];
let officials: Client[] = [];

beforeAll(async () => {
  uri = inject('mongodbUri');
  if (!uri) throw new Error(`no MongoDB-protocol server: ${inject('serversProblem')}`);
  broker = await startBroker();
  env = { ...clusterEnv(uri, dbName), ...broker.serverEnv };
  // All three start at once on the empty database: one seeds it, the others wait for it.
  ({ servers, racers, officials } = await startCluster(SERVERS, () => startServer({ env })));
  expect((await officials[0].put('/api/processes/town-a/single', { xml: SINGLE, baseVersion: 0 })).status).toBe(201);
}, 240_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  await broker?.stop('SIGKILL');
  if (uri) await dropDatabase(uri, dbName);
});

const openTask = (caseNo: string) => openReviewTask({ racers }, caseNo);
const view = (id: string) => viewOf({ officials }, id);
const task = (id: string) => taskOf({ officials }, id);
const history = (v: any, elementId: string) => v.history.filter((h: any) => h.elementId === elementId);
/**
 * Zeebe goes on after a step by itself (a message, a timer): the view once it has ended. A step that
 * a server records meanwhile writes the instance before its history, so a completed one is read
 * once its end event is there too.
 */
const ended = (id: string) => waitFor(async () => {
  const v = await view(id);
  return (v.status === 'cancelled' || (v.status === 'completed' && v.history.some((h: any) => h.type === 'EndEvent'))) && v;
}, 120_000, `instance ${id} to end`);

async function completeRounds() {
  for (let round = 0; round < ROUNDS.complete; round++) await completeRace({ racers, officials }, `Z-complete-${round}`);
}

async function claimRounds() {
  for (let round = 0; round < ROUNDS.claim; round++) await claimRace({ racers, officials }, `Z-claim-${round}`, round);
}

async function cancelRounds() {
  for (let round = 0; round < ROUNDS.cancel; round++) {
    const { instanceId, task: t } = await openReviewTask({ racers }, `Z-cancel-${round}`, 'single');
    // The completion ends the case: a cancel after it finds nothing left to cancel.
    const answers = await Promise.all([
      racers[0][round % SERVERS].post(`/api/tasks/${t.id}/complete`, { data: submission(0, 'a') }),
      officials[(round + 1) % SERVERS].post(`/api/instances/${instanceId}/cancel`, {}),
      officials[(round + 2) % SERVERS].post(`/api/instances/${instanceId}/cancel`, {}),
    ]);
    const k = winnerOf(answers);
    const v = await ended(instanceId);
    const stored = await task(t.id);
    if (k === 0) {
      expect([v.status, stored.status, stored.data.count, history(v, 'check').length, v.variables.doubled]).toEqual(['completed', 'completed', 100, 1, 200]);
    } else {
      expect([v.status, stored.status, stored.data, history(v, 'check').length, v.variables.doubled]).toEqual(['cancelled', 'cancelled', null, 0, undefined]);
    }
  }
}

async function messageRounds() {
  for (let round = 0; round < ROUNDS.message; round++) {
    const caseNo = `Z-message-${round}`;
    const { instanceId, task: t } = await openTask(caseNo);
    expect((await racers[0][round % SERVERS].post(`/api/tasks/${t.id}/complete`, { data: submission(0, 'b') })).status).toBe(200);
    // Zeebe takes every publication (202) and correlates one of them to the one subscription.
    const answers: Response[] = await Promise.all(servers.map((_, k) =>
      racers[k][k].post('/api/messages', { name: 'reply', correlationKey: caseNo, variables: { answer: `from-${k}` }, ttl: 'PT10S' }),
    ));
    expect(answers.map((r) => r.status)).toEqual(servers.map(() => 202));
    const v = await ended(instanceId);
    expect(v.status).toBe('completed');
    expect(servers.map((_, k) => `from-${k}`)).toContain(v.variables.answer);
    expect([history(v, 'wait-reply').length, history(v, 'end-b').length, history(v, 'lapse').length]).toEqual([1, 1, 0]);
  }
}

describe(`${SERVERS} servers on one MongoDB and one Zeebe broker`, () => {
  const total = ROUNDS.complete + ROUNDS.claim + ROUNDS.cancel + ROUNDS.message;
  it(`gives each of ${total} cross-server races exactly one winner`, { timeout: 600_000 }, async () => {
    const started = Date.now();
    // The four kinds run side by side, each round after the other within its kind.
    await Promise.all([completeRounds(), claimRounds(), cancelRounds(), messageRounds()]);
    console.log(`zeebe servers: ${total} race rounds (${Object.entries(ROUNDS).map(([k, n]) => `${n} ${k}`).join(', ')}) in ${Math.round((Date.now() - started) / 1000)} s`);
  });

  it(`mirrors every acknowledged completion and fires every timer once across ${KILLS} kills`, { timeout: 600_000 }, async () => {
    const official = { get: (url: string) => officials[0].get(url), put: (url: string, body: unknown) => officials[0].put(url, body) };
    expect((await official.put('/api/processes/town-a/ticking', { xml: tickingXml(`R${TICKS}/PT1S`), baseVersion: 0 })).status).toBe(201);
    const ids: string[] = [];
    for (let n = 0; n < LOAD_INSTANCES; n++) ids.push((await openTask(`Z-load-${n}`)).instanceId);
    const openOnes = async (c: Client) => ((await c.get('/api/tasks?status=open&jurisdiction=town-a&limit=200')).body.items ?? []).filter((t: any) => ids.includes(t.instanceId));

    const { acknowledged, errors, load } = completionLoad(racers, ids);
    const killed = await killEverySecond(servers, KILLS, async (s) => {
      servers[s] = await startServer({ env });
      for (const r of [...racers, officials]) r[s] = r[(s + 1) % SERVERS].on(servers[s].url);
    }, load, 120_000);
    expect(errors).toEqual([]);

    // What is still open is finished now. A step a killed server held blocks its instance until the
    // lease lapses (20 s): until then a completion may be refused (409) and is sent again.
    await waitFor(async () => {
      for (const t of await openOnes(officials[0])) await racers[0][0].post(`/api/tasks/${t.id}/complete`, { data: submission(0, 'b') });
      return (await openOnes(officials[0])).length === 0;
    }, 90_000, 'every load task to be completed');
    // Every reply deadline (2 s) then falls due on the broker and ends its instance.
    const views = await Promise.all(ids.map((id) => ended(id)));
    let durable = 0;
    for (const v of views) {
      const checks = history(v, 'check');
      expect(checks).toHaveLength(1);
      const ack = acknowledged.get(v.id);
      if (ack !== undefined) {
        const [t] = (await official.get(`/api/tasks?instanceId=${v.id}&limit=5`)).body.items;
        expect([checks[0].data.count, t.data.count, t.status, v.variables.doubled]).toEqual([ack, ack, 'completed', ack * 2]);
        durable++;
      }
      expect([history(v, 'lapse').length, history(v, 'end-lapsed').length]).toEqual([1, 1]);
    }
    const ticking = await waitFor(async () => {
      const items = (await official.get('/api/instances?jurisdiction=town-a&processKey=ticking&limit=200')).body.items;
      return items.length >= TICKS && items;
    }, 30_000, 'every timer start firing');
    await new Promise((r) => setTimeout(r, 1500)); // the cycle is spent: nothing more may start
    expect((await official.get('/api/instances?jurisdiction=town-a&processKey=ticking&limit=200')).body.items).toHaveLength(ticking.length);
    console.log(
      `zeebe servers: killed ${killed.join(', ')}; ${acknowledged.size} acknowledged completions mirrored once (${durable} checked), ` +
        `${views.length} reply timers each fired once, timer start R${TICKS}/PT1S started ${ticking.length} instances`,
    );
    expect(durable).toBe(acknowledged.size);
    expect(ticking).toHaveLength(TICKS);
  });

  it('answers /api/health 503 on every server once the broker is gone', { timeout: 60_000 }, async () => {
    for (const s of servers) expect((await new Client(s.url).get('/api/health')).status).toBe(200);
    await broker!.stop('SIGKILL');
    for (const s of servers) {
      const started = Date.now();
      const res = await new Client(s.url).get('/api/health');
      expect([res.status, res.body.errors?.map((e: any) => e.path)]).toEqual([503, ['engine']]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });
});
