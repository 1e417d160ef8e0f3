// Several servers on one store, as behind a load balancer (docs/deploy.md). On one MongoDB (FerretDB
// here): the same request sent through different servers at the same moment has exactly one winner
// (200, the others 409), the winner's data is what the task, the history and the variables keep, and
// no request fails with a 5xx; a rule-set write through one server is used through another within
// the documented bound; and with a random server killed (SIGKILL) every second under load, every
// acknowledged completion is stored once and every due timer fires once. Then the same races
// through several processes on one SQLite file. One session (shared SESSION_SECRET, sessions in the
// store) works on every server.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SHARED, claimRace, clusterEnv, dropDatabase, taskOf, viewOf, completeRace, completionLoad, killEverySecond, openReviewTask, startCluster, submission, tickingXml, winnerOf } from '../support/cluster.js';
import { ADMIN_PASSWORD, Client, startServer, tempDir, waitFor, type Server } from '../support/server.js';

const SERVERS = 3;
const ROUNDS = { complete: 30, claim: 30, cancel: 25, message: 20 };
/** docs/deploy.md: a rule-set write through one server is used by the others within this. */
const STALE_BOUND_MS = 2000;
/** Fewer on SQLite: the same code paths above the store, whose guards are SQLite transactions. */
const SQLITE_ROUNDS = { complete: 15, claim: 15, cancel: 15, message: 15 };
/** Each kind of race, on a 2-core machine other work shares (about 15 s each when it is idle). */
const RACE_TIMEOUT_MS = 180_000;
const KILLS = 12;
const TICKS = 6;
const LOAD_INSTANCES = 40;

const dbName = `yishi_servers_${process.pid}_${Date.now()}`;
let uri = '';
let servers: Server[] = [];
/** racers[k][s]: racer k's session on server s. */
let racers: Client[][] = [];
let officials: Client[] = [];

/** Starts the servers of a cluster (all at once), and the racers' and the official's sessions on every one of them. */
async function boot(start: () => Promise<Server>) {
  ({ servers, racers, officials } = await startCluster(SERVERS, start));
}

beforeAll(async () => {
  uri = inject('mongodbUri');
  if (!uri) throw new Error(`no MongoDB-protocol server: ${inject('serversProblem')}`);
  await boot(() => startServer({ env: clusterEnv(uri, dbName) }));
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  if (uri) await dropDatabase(uri, dbName);
});

const openTask = (caseNo: string) => openReviewTask({ racers }, caseNo);
const view = (id: string) => viewOf({ officials }, id);
const task = (id: string) => taskOf({ officials }, id);

/** The races, through whichever servers `servers` holds when they run. */
function races(rounds: typeof ROUNDS) {
  it(`completes each of ${rounds.complete} tasks through exactly one server`, { timeout: RACE_TIMEOUT_MS }, async () => {
    for (let round = 0; round < rounds.complete; round++) await completeRace({ racers, officials }, `C-complete-${round}`);
  });

  it(`gives each of ${rounds.claim} tasks to exactly one claimant`, { timeout: RACE_TIMEOUT_MS }, async () => {
    for (let round = 0; round < rounds.claim; round++) await claimRace({ racers, officials }, `C-claim-${round}`, round);
  });

  it(`lets a cancel or a completion win each of ${rounds.cancel} rounds, never both`, { timeout: RACE_TIMEOUT_MS }, async () => {
    for (let round = 0; round < rounds.cancel; round++) {
      const { instanceId, task: t } = await openTask(`C-cancel-${round}`);
      // kind a ends the case: a cancel after the completion finds nothing left to cancel.
      const answers = await Promise.all([
        racers[0][round % SERVERS].post(`/api/tasks/${t.id}/complete`, { data: submission(0, 'a') }),
        officials[(round + 1) % SERVERS].post(`/api/instances/${instanceId}/cancel`, {}),
        officials[(round + 2) % SERVERS].post(`/api/instances/${instanceId}/cancel`, {}),
      ]);
      const k = winnerOf(answers);
      const v = await view(instanceId);
      const stored = await task(t.id);
      const checks = v.history.filter((h: any) => h.elementId === 'check');
      if (k === 0) {
        expect([v.status, stored.status, stored.data.count, checks.length, v.variables.kind]).toEqual(['completed', 'completed', 100, 1, 'a']);
      } else {
        expect([v.status, stored.status, stored.data, checks.length, v.variables.kind]).toEqual(['cancelled', 'cancelled', null, 0, undefined]);
      }
    }
  });

  it(`correlates each of ${rounds.message} racing message publications once`, { timeout: RACE_TIMEOUT_MS }, async () => {
    for (let round = 0; round < rounds.message; round++) {
      const caseNo = `C-message-${round}`;
      const { instanceId, task: t } = await openTask(caseNo);
      expect((await racers[0][round % SERVERS].post(`/api/tasks/${t.id}/complete`, { data: submission(0, 'b') })).status).toBe(200);
      const answers = await Promise.all(servers.map((_, k) =>
        racers[k][k].post('/api/messages', { name: 'reply', correlationKey: caseNo, variables: { answer: `from-${k}` }, ttl: 'PT0S' }),
      ));
      // A publication that comes after the winner's finds nobody waiting: not kept (ttl 0), 202.
      const k = winnerOf(answers, (r) => r.status === 202 && r.body.buffered === false);
      expect(answers[k].body.instanceId).toBe(instanceId);
      const v = await view(instanceId);
      expect([v.status, v.variables.answer]).toEqual(['completed', `from-${k}`]);
      expect(v.history.filter((h: any) => h.elementId === 'wait-reply')).toHaveLength(1);
      expect(v.history.filter((h: any) => h.elementId === 'end-b')).toHaveLength(1);
    }
  });
}

describe(`${SERVERS} servers on one MongoDB`, () => races(ROUNDS));

describe('rule sets saved through one server, used through another', () => {
  it(`sees a new jurisdiction within ${STALE_BOUND_MS} ms, and a deploy at once`, async () => {
    const admins = await Promise.all(servers.map(async (s) => (await Client.signIn(servers[0].url, 'admin', ADMIN_PASSWORD)).on(s.url)));
    const saved = await admins[0].put('/api/jurisdictions/town-c', { name: '丙镇', parent: 'root', parameters: { replyDeadline: 'PT5S' }, vocabulary: {}, groups: {}, baseVersion: 0 });
    expect(saved.status).toBe(201);
    const since = Date.now();
    const seenAfter = await Promise.all(admins.slice(1).map(async (a) => {
      while (Date.now() - since < 10_000) {
        if ((await a.get('/api/jurisdictions/town-c')).status === 200) return Date.now() - since;
        await new Promise((r) => setTimeout(r, 20));
      }
      return Infinity;
    }));
    console.log(`rule-set write on server 1 seen on servers 2 and 3 after ${seenAfter.join(' and ')} ms`);
    for (const ms of seenAfter) expect(ms).toBeLessThanOrEqual(STALE_BOUND_MS);
    // A deploy goes straight to the store: the very next start elsewhere runs it.
    const inherited = (await admins[0].get('/api/processes/root/review')).body;
    const xml = inherited.xml.replace('name="审查测试"', 'name="丙镇审查"');
    expect((await admins[0].put('/api/processes/town-c/review', { xml, baseVersion: inherited.version })).status).toBe(201);
    const started = await admins[2].post('/api/instances', { jurisdiction: 'town-c', processKey: 'review', variables: { caseNo: 'C-town-c' } });
    expect(started.status).toBe(201);
    expect([started.body.definedAt, started.body.version, started.body.params.replyDeadline]).toEqual(['town-c', inherited.version + 1, 'PT5S']);
  });
});

describe('kill -9 of a random server every second under load', () => {
  it(`keeps every acknowledged completion once and fires every due timer once across ${KILLS} kills`, { timeout: 300_000 }, async () => {
    const env = clusterEnv(uri, dbName);
    // Servers come back on other ports: officials[] follows them.
    const official = { get: (url: string) => officials[0].get(url), put: (url: string, body: unknown) => officials[0].put(url, body) };
    // A timer start: R<n>/PT1S starts exactly n instances, whichever servers live through it.
    expect((await official.put('/api/processes/town-a/ticking', { xml: tickingXml(`R${TICKS}/PT1S`), baseVersion: 0 })).status).toBe(201);
    const ids: string[] = [];
    for (let n = 0; n < LOAD_INSTANCES; n++) ids.push((await openTask(`C-load-${n}`)).instanceId);

    const { acknowledged, errors, load } = completionLoad(racers, ids);
    const killed = await killEverySecond(servers, KILLS, async (s) => {
      servers[s] = await startServer({ env });
      for (const r of [...racers, officials]) r[s] = r[(s + 1) % SERVERS].on(servers[s].url);
    }, load);
    expect(errors).toEqual([]);

    // Whatever is still open is finished now; then every reply deadline (2 s) falls due and fires.
    for (const t of (await official.get('/api/tasks?status=open&jurisdiction=town-a&limit=200')).body.items.filter((x: any) => ids.includes(x.instanceId))) {
      const res = await racers[0][0].post(`/api/tasks/${t.id}/complete`, { data: submission(0, 'b') });
      expect(res.status).toBe(200);
    }
    let unfinished: unknown[] = [];
    const views = await waitFor(async () => {
      const all = await Promise.all(ids.map(view));
      // The end event's history row, not the status alone: on MongoDB the instance document is written first.
      const ended = (v: any) => v.status === 'completed' && v.history.some((h: any) => h.type === 'EndEvent');
      unfinished = all.filter((v) => !ended(v)).map((v) => ({ id: v.id, status: v.status, active: v.active, last: v.history.at(-1), incident: v.incident }));
      return unfinished.length === 0 && all;
    }, 60_000, 'every reply deadline to fire').catch((err: Error) => {
      throw new Error(`${err.message}; not ended: ${JSON.stringify(unfinished)}`);
    });
    let durable = 0;
    let fired = 0;
    for (const v of views) {
      const checks = v.history.filter((h: any) => h.elementId === 'check');
      expect(checks).toHaveLength(1);
      const ack = acknowledged.get(v.id);
      if (ack !== undefined) {
        const [t] = (await official.get(`/api/tasks?instanceId=${v.id}&limit=5`)).body.items;
        expect([checks[0].data.count, t.data.count, v.variables.doubled]).toEqual([ack, ack, ack * 2]);
        durable++;
      }
      const lapses = v.history.filter((h: any) => h.elementId === 'lapse').length;
      expect([lapses, v.history.filter((h: any) => h.elementId === 'end-lapsed').length]).toEqual([1, 1]);
      fired += lapses;
    }
    const ticking = await waitFor(async () => {
      const items = (await official.get('/api/instances?jurisdiction=town-a&processKey=ticking&limit=200')).body.items;
      return items.length >= TICKS && items;
    }, 30_000, 'every timer start firing');
    await new Promise((r) => setTimeout(r, 1500)); // the cycle is spent: nothing more may start
    expect((await official.get('/api/instances?jurisdiction=town-a&processKey=ticking&limit=200')).body.items).toHaveLength(ticking.length);
    console.log(
      `killed servers ${killed.join(', ')}; ${acknowledged.size} acknowledged completions all stored once (${durable} checked), ` +
        `${fired} reply timers each fired once, timer start R${TICKS}/PT1S started ${ticking.length} instances`,
    );
    expect(durable).toBe(acknowledged.size);
    expect(ticking).toHaveLength(TICKS);
  });
});

// Several processes on one SQLite file (one machine): SQLite's own write lock makes each step's
// guarded transaction atomic across them, so the same races have the same single winner.
describe(`${SERVERS} servers on one SQLite file`, () => {
  beforeAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    const dataDir = tempDir();
    await boot(() => startServer({ dataDir, env: { ...SHARED, STORE: 'sqlite' } }));
  }, 120_000);
  races(SQLITE_ROUNDS);
});
