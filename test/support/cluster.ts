// Several Yishi servers on one store, as behind a load balancer (docs/deploy.md): their shared
// settings, the racers' and an official's sessions on every server, and what a race must show.
import { MongoClient } from 'mongodb';
import { expect } from 'vitest';
import { ADMIN_PASSWORD, Client, type Response, type Server } from './server.js';

export const SHARED = { SESSION_SECRET: 'shared-secret-of-the-cluster-0123', TIMER_POLL_MS: '100' };

/** The environment of a server on database `name` of a MongoDB-protocol server. */
export function clusterEnv(mongodbUri: string, name: string): Record<string, string> {
  const u = new URL(mongodbUri);
  u.pathname = `/${name}`;
  return { ...SHARED, STORE: 'mongodb', MONGODB_URI: u.toString() };
}

/** Drops a test's database from the shared MongoDB-protocol server. */
export async function dropDatabase(mongodbUri: string, name: string) {
  const client = await MongoClient.connect(mongodbUri);
  try {
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}

export interface Cluster {
  servers: Server[];
  /** racers[k][s]: racer k (user cluster-k, staff of town-a) on server s. */
  racers: Client[][];
  /** town-a's official on each server. */
  officials: Client[];
}

/** Starts `count` servers at once (the first start on an empty store is safe from several), and the sessions on each. */
export async function startCluster(count: number, start: () => Promise<Server>): Promise<Cluster> {
  const servers = await Promise.all(Array.from({ length: count }, start));
  const admin = await Client.signIn(servers[0].url, 'admin', ADMIN_PASSWORD);
  const racers: Client[][] = [];
  for (let k = 0; k < count; k++) {
    const username = `cluster-${k}`;
    const res = await admin.post('/api/users', { username, displayName: `并发 ${k}`, password: 'cluster-password-123', memberships: [{ jurisdiction: 'town-a', roles: ['staff'] }] });
    expect(res.status).toBe(201);
    // Signed in on one server, used on all of them: no sticky sessions.
    const session = await Client.signIn(servers[k].url, username, 'cluster-password-123');
    racers.push(servers.map((s) => session.on(s.url)));
  }
  const official = await Client.signIn(servers[1 % count].url, 'town-a.official');
  return { servers, racers, officials: servers.map((s) => official.on(s.url)) };
}

/** The one 200 among the answers; the rest must be 409 (or what `alsoLost` allows): never a 5xx. */
export function winnerOf(answers: Response[], alsoLost: (r: Response) => boolean = () => false): number {
  const statuses = answers.map((r) => r.status);
  expect(statuses.filter((s) => s >= 500), JSON.stringify(answers.map((r) => r.body))).toEqual([]);
  expect(statuses.filter((s) => s === 200), JSON.stringify(statuses)).toHaveLength(1);
  const winner = statuses.indexOf(200);
  answers.forEach((r, i) => i === winner || expect(r.status === 409 || alsoLost(r), `${r.status} ${JSON.stringify(r.body)}`).toBe(true));
  return winner;
}

const base = { count: 1, expected: 9, present: 7, votesFor: 5, votesAgainst: 1 };
/** Racer k's submission of the review fixture's task: its own count, so the stored data says who won. */
export const submission = (k: number, kind: 'a' | 'b') => ({ ...base, kind, count: 100 + k });

/** A process started by a timer cycle (定期发起), with one task. */
export const tickingXml = (cycle: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="ticking" name="定期会议" isExecutable="true">
    <bpmn:startEvent id="every" name="定期发起"><bpmn:timerEventDefinition><bpmn:timeCycle>${cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="every" targetRef="meet"/>
    <bpmn:userTask id="meet" name="开会"/>
    <bpmn:sequenceFlow id="f2" sourceRef="meet" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>`;

/** Starts a case (the review fixture unless told) in town-a through server 1 and finds its one open task through server 2. */
export async function openReviewTask({ racers }: Pick<Cluster, 'racers'>, caseNo: string, processKey = 'review') {
  const inst = await racers[0][0].post('/api/instances', { jurisdiction: 'town-a', processKey, variables: { caseNo } });
  expect(inst.status, JSON.stringify(inst.body)).toBe(201);
  const tasks = (await racers[0][1 % racers[0].length].get(`/api/tasks?status=open&instanceId=${inst.body.id}`)).body.items;
  expect(tasks).toHaveLength(1);
  return { instanceId: inst.body.id as string, task: tasks[0] };
}

/** Picks a live server at random; `stopping` tells the load to end. */
export interface Chaos {
  pick(): number;
  stopping(): boolean;
}

/**
 * Kills a random live server (SIGKILL) every second, `kills` times (as long as another one serves
 * meanwhile), while `load` runs against the live ones; `restart(s)` brings server s back (new port:
 * it updates the clients). Returns the numbers (1-based) of the servers killed, in order.
 */
export async function killEverySecond(
  servers: Server[], kills: number, restart: (s: number) => Promise<void>, load: (chaos: Chaos) => Promise<void>[], budgetMs = 150_000,
): Promise<number[]> {
  const up = servers.map(() => true);
  let stopping = false;
  const chaos: Chaos = {
    pick: () => {
      const live = servers.map((_, s) => s).filter((s) => up[s]);
      return live[Math.floor(Math.random() * live.length)];
    },
    stopping: () => stopping,
  };
  const loads = load(chaos);
  const killed: number[] = [];
  const restarts: Promise<void>[] = [];
  const killing = Date.now();
  try {
    while (killed.length < kills && Date.now() - killing < budgetMs) {
      await new Promise((r) => setTimeout(r, 1000));
      if (up.filter(Boolean).length < 2) continue;
      const s = chaos.pick();
      up[s] = false;
      killed.push(s + 1);
      await servers[s].stop('SIGKILL');
      restarts.push(restart(s).then(() => void (up[s] = true)));
    }
    await Promise.all(restarts);
  } finally {
    stopping = true;
    await Promise.all(loads);
  }
  expect(killed.length, 'servers restart too slowly on this machine').toBe(kills);
  return killed;
}

/**
 * One racer per server completing random open review tasks of `ids` through random live servers
 * until told to stop: the acknowledged completions (instance id → the count they carried) and any
 * answer but 200 and 409. A request cut off by a kill is unacknowledged: either outcome is allowed.
 */
export function completionLoad(racers: Client[][], ids: string[]) {
  const acknowledged = new Map<string, number>();
  const errors: string[] = [];
  let sent = 0;
  const worker = async (k: number, { pick, stopping }: Chaos) => {
    while (!stopping()) {
      try {
        const open = ((await racers[k][pick()].get('/api/tasks?status=open&jurisdiction=town-a&limit=200')).body.items ?? []).filter((t: any) => ids.includes(t.instanceId));
        const t = open[Math.floor(Math.random() * open.length)];
        if (!t) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const count = 1000 + sent++;
        const res = await racers[k][pick()].post(`/api/tasks/${t.id}/complete`, { data: { ...submission(k, 'b'), count } });
        if (res.status === 200) {
          if (acknowledged.has(t.instanceId)) errors.push(`task ${t.id} acknowledged twice`);
          acknowledged.set(t.instanceId, count);
        } else if (res.status !== 409) errors.push(`${res.status} ${JSON.stringify(res.body)}`);
      } catch {
        // That server was killed under the request.
      }
    }
  };
  return { acknowledged, errors, load: (chaos: Chaos) => racers.map((_, k) => worker(k, chaos)) };
}

/** An instance's view, and a task, as the cluster's official reads them (through the last and the first server). */
export const viewOf = async ({ officials }: Pick<Cluster, 'officials'>, id: string) => (await officials[officials.length - 1].get(`/api/instances/${id}`)).body;
export const taskOf = async ({ officials }: Pick<Cluster, 'officials'>, id: string) => (await officials[0].get(`/api/tasks/${id}`)).body;

/** One round: every racer completes the same task through its own server; one wins, and its data is what is kept. */
export async function completeRace(c: Pick<Cluster, 'racers' | 'officials'>, caseNo: string) {
  const { instanceId, task: t } = await openReviewTask(c, caseNo);
  const answers = await Promise.all(c.racers.map((r, k) => r[k].post(`/api/tasks/${t.id}/complete`, { data: submission(k, 'b') })));
  const k = winnerOf(answers);
  const stored = await taskOf(c, t.id);
  expect([stored.status, stored.completedBy, stored.data.count]).toEqual(['completed', `cluster-${k}`, 100 + k]);
  const v = await viewOf(c, instanceId);
  const checks = v.history.filter((h: any) => h.elementId === 'check');
  expect(checks.map((h: any) => [h.by, h.data.count])).toEqual([[`cluster-${k}`, 100 + k]]);
  expect(v.variables.doubled).toBe((100 + k) * 2);
  return instanceId;
}

/** One round: every racer claims the same task, each through another server; one gets it, and only it may complete it. */
export async function claimRace(c: Pick<Cluster, 'racers' | 'officials'>, caseNo: string, round: number) {
  const n = c.racers.length;
  const { instanceId, task: t } = await openReviewTask(c, caseNo);
  const answers = await Promise.all(c.racers.map((r, k) => r[(k + round) % n].post(`/api/tasks/${t.id}/claim`, {})));
  const k = winnerOf(answers);
  const stored = await taskOf(c, t.id);
  expect([stored.assignee, stored.version]).toEqual([`cluster-${k}`, t.version + 1]);
  // Another racer may not complete the winner's task.
  expect((await c.racers[(k + 1) % n][k].post(`/api/tasks/${t.id}/complete`, { data: submission(0, 'a') })).status).toBe(409);
  expect((await c.officials[round % n].post(`/api/instances/${instanceId}/cancel`, {})).status).toBe(200);
}
