// Several servers on one MongoDB store (FerretDB here), as behind a load balancer: the same request
// sent through different servers at the same moment has exactly one winner (200, the others 409),
// the winner's data is what the task, the history and the variables keep, and no request fails
// with a 5xx. One session (shared SESSION_SECRET, sessions in the store) works on every server.
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startServer, type Response, type Server } from '../support/server.js';

const SERVERS = 3;
const ROUNDS = { complete: 30, claim: 30, cancel: 25, message: 20 };

const dbName = `yishi_servers_${process.pid}_${Date.now()}`;
let uri = '';
let servers: Server[] = [];
/** racers[k][s]: racer k's session on server s. */
let racers: Client[][] = [];
let officials: Client[] = [];

export function clusterEnv(mongodbUri: string, name: string): Record<string, string> {
  const u = new URL(mongodbUri);
  u.pathname = `/${name}`;
  return { STORE: 'mongodb', MONGODB_URI: u.toString(), SESSION_SECRET: 'shared-secret-of-the-cluster-0123', TIMER_POLL_MS: '100', LEASE_MS: '2000' };
}

beforeAll(async () => {
  uri = inject('mongodbUri');
  if (!uri) throw new Error(`no MongoDB-protocol server: ${inject('serversProblem')}`);
  const env = clusterEnv(uri, dbName);
  // The first server loads the rule sets into the empty store; the others find them there.
  servers = [await startServer({ env })];
  servers.push(...(await Promise.all(Array.from({ length: SERVERS - 1 }, () => startServer({ env })))));
  const admin = await Client.signIn(servers[0].url, 'admin', ADMIN_PASSWORD);
  racers = [];
  for (let k = 0; k < SERVERS; k++) {
    const username = `cluster-${k}`;
    const res = await admin.post('/api/users', { username, displayName: `并发 ${k}`, password: 'cluster-password-123', memberships: [{ jurisdiction: 'town-a', roles: ['staff'] }] });
    expect(res.status).toBe(201);
    // Signed in on one server, used on all of them: no sticky sessions.
    const session = await Client.signIn(servers[k].url, username, 'cluster-password-123');
    racers.push(servers.map((s) => session.on(s.url)));
  }
  const official = await Client.signIn(servers[1].url, 'town-a.official');
  officials = servers.map((s) => official.on(s.url));
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  if (uri) {
    const client = await MongoClient.connect(uri);
    await client.db(dbName).dropDatabase();
    await client.close();
  }
});

const base = { count: 1, expected: 9, present: 7, votesFor: 5, votesAgainst: 1 };
/** Racer k's submission through server k: its own count, so the stored data says who won. */
const submission = (k: number, kind: 'a' | 'b') => ({ ...base, kind, count: 100 + k });

async function openTask(caseNo: string) {
  const inst = await racers[0][0].post('/api/instances', { jurisdiction: 'town-a', processKey: 'review', variables: { caseNo } });
  expect(inst.status).toBe(201);
  const tasks = (await racers[0][1].get(`/api/tasks?status=open&instanceId=${inst.body.id}`)).body.items;
  expect(tasks).toHaveLength(1);
  return { instanceId: inst.body.id as string, task: tasks[0] };
}

/** The one 200 among the answers; the rest must be 409 (or what `alsoLost` allows): never a 5xx. */
function winnerOf(answers: Response[], alsoLost: (r: Response) => boolean = () => false): number {
  const statuses = answers.map((r) => r.status);
  expect(statuses.filter((s) => s >= 500), JSON.stringify(answers.map((r) => r.body))).toEqual([]);
  expect(statuses.filter((s) => s === 200), JSON.stringify(statuses)).toHaveLength(1);
  const winner = statuses.indexOf(200);
  answers.forEach((r, i) => i === winner || expect(r.status === 409 || alsoLost(r), `${r.status} ${JSON.stringify(r.body)}`).toBe(true));
  return winner;
}

const view = async (id: string) => (await officials[2].get(`/api/instances/${id}`)).body;
const task = async (id: string) => (await officials[0].get(`/api/tasks/${id}`)).body;

describe(`${SERVERS} servers on one MongoDB`, () => {
  it(`completes each of ${ROUNDS.complete} tasks through exactly one server`, async () => {
    for (let round = 0; round < ROUNDS.complete; round++) {
      const { instanceId, task: t } = await openTask(`C-complete-${round}`);
      const answers = await Promise.all(servers.map((_, k) => racers[k][k].post(`/api/tasks/${t.id}/complete`, { data: submission(k, 'b') })));
      const k = winnerOf(answers);
      const stored = await task(t.id);
      expect([stored.status, stored.completedBy, stored.data.count]).toEqual(['completed', `cluster-${k}`, 100 + k]);
      const v = await view(instanceId);
      const checks = v.history.filter((h: any) => h.elementId === 'check');
      expect(checks).toHaveLength(1);
      expect([checks[0].by, checks[0].data.count]).toEqual([`cluster-${k}`, 100 + k]);
      expect(v.variables.doubled).toBe((100 + k) * 2);
    }
  });

  it(`gives each of ${ROUNDS.claim} tasks to exactly one claimant`, async () => {
    for (let round = 0; round < ROUNDS.claim; round++) {
      const { instanceId, task: t } = await openTask(`C-claim-${round}`);
      const answers = await Promise.all(servers.map((_, k) => racers[k][(k + round) % SERVERS].post(`/api/tasks/${t.id}/claim`, {})));
      const k = winnerOf(answers);
      const stored = await task(t.id);
      expect([stored.assignee, stored.version]).toEqual([`cluster-${k}`, t.version + 1]);
      // Another racer may not complete the winner's task.
      expect((await racers[(k + 1) % SERVERS][k].post(`/api/tasks/${t.id}/complete`, { data: submission(0, 'a') })).status).toBe(409);
      expect((await officials[round % SERVERS].post(`/api/instances/${instanceId}/cancel`, {})).status).toBe(200);
    }
  });

  it(`lets a cancel or a completion win each of ${ROUNDS.cancel} rounds, never both`, async () => {
    for (let round = 0; round < ROUNDS.cancel; round++) {
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

  it(`correlates each of ${ROUNDS.message} racing message publications once`, async () => {
    for (let round = 0; round < ROUNDS.message; round++) {
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
});
