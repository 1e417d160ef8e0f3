// Several Yishi servers on one store, as behind a load balancer (docs/deploy.md): their shared
// settings, the racers' and an official's sessions on every server, and what a race must show.
import { expect } from 'vitest';
import { ADMIN_PASSWORD, Client, type Response, type Server } from './server.js';

export const SHARED = { SESSION_SECRET: 'shared-secret-of-the-cluster-0123', TIMER_POLL_MS: '100' };

/** The environment of a server on database `name` of a MongoDB-protocol server. */
export function clusterEnv(mongodbUri: string, name: string): Record<string, string> {
  const u = new URL(mongodbUri);
  u.pathname = `/${name}`;
  return { ...SHARED, STORE: 'mongodb', MONGODB_URI: u.toString() };
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
