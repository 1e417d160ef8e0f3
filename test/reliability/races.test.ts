// Races: the same task completed, claimed, or its instance cancelled by many requests at once;
// exactly one wins each time and the loser gets 409, with one history line for the winner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startServer, type Server } from '../support/server.js';

const ROUNDS = 10;
const CONTENDERS = 6;
const valid = { kind: 'b', count: 1, expected: 5, present: 5 }; // kind b waits for a reply afterwards

let server: Server;
let staff: Client[];

beforeAll(async () => {
  server = await startServer();
  const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  staff = [];
  for (let i = 0; i < CONTENDERS; i++) {
    const username = `racer-${i}`;
    const res = await admin.post('/api/users', { username, displayName: `并发 ${i}`, password: 'race-password-123', memberships: [{ jurisdiction: 'town-a', roles: ['staff'] }] });
    expect(res.status).toBe(201);
    staff.push(await Client.signIn(server.url, username, 'race-password-123'));
  }
});
afterAll(async () => {
  await server?.stop();
});

async function openTask() {
  const inst = (await staff[0].post('/api/instances', { jurisdiction: 'town-a', processKey: 'review', variables: { caseNo: `R-${Date.now()}-${Math.random()}` } })).body;
  const task = (await staff[0].get(`/api/tasks?status=open&jurisdiction=town-a&limit=200`)).body.items.find((t: any) => t.instanceId === inst.id);
  return { inst, task };
}
const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((acc, s) => ((acc[s] = (acc[s] ?? 0) + 1), acc), {});

describe('races', () => {
  it(`completes each of ${ROUNDS} tasks exactly once among ${CONTENDERS} concurrent submissions`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { inst, task } = await openTask();
      const statuses = (await Promise.all(staff.map((c) => c.post(`/api/tasks/${task.id}/complete`, { data: valid })))).map((r) => r.status);
      expect(tally(statuses)).toEqual({ 200: 1, 409: CONTENDERS - 1 });
      const view = (await staff[0].get(`/api/instances/${inst.id}`)).body;
      expect(view.history.filter((h: any) => h.elementId === 'check')).toHaveLength(1);
    }
  });

  it(`gives each of ${ROUNDS} tasks to exactly one of ${CONTENDERS} concurrent claimants`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { task } = await openTask();
      const results = await Promise.all(staff.map((c) => c.post(`/api/tasks/${task.id}/claim`, {})));
      expect(tally(results.map((r) => r.status))).toEqual({ 200: 1, 409: CONTENDERS - 1 });
      const winner = results.findIndex((r) => r.status === 200);
      expect((await staff[0].get(`/api/tasks/${task.id}`)).body.assignee).toBe(`racer-${winner}`);
      // The others may not complete a task claimed by someone else.
      const other = staff[(winner + 1) % CONTENDERS];
      expect((await other.post(`/api/tasks/${task.id}/complete`, { data: valid })).status).toBe(409);
    }
  });

  it(`cancels each of ${ROUNDS} instances once, while a completion races the cancellation`, async () => {
    const official = await Client.signIn(server.url, 'town-a.official');
    for (let round = 0; round < ROUNDS; round++) {
      const { inst, task } = await openTask();
      const [complete, ...cancels] = await Promise.all([
        staff[0].post(`/api/tasks/${task.id}/complete`, { data: valid }),
        ...Array.from({ length: CONTENDERS - 1 }, () => official.post(`/api/instances/${inst.id}/cancel`, {})),
      ]);
      expect(tally(cancels.map((r) => r.status))).toMatchObject({ 200: 1 });
      const view = (await official.get(`/api/instances/${inst.id}`)).body;
      expect(view.status).toBe('cancelled');
      const t = (await official.get(`/api/tasks/${task.id}`)).body;
      // Either the completion won before the cancel (completed, one history line) or lost (cancelled, 409).
      if (complete.status === 200) expect(t.status).toBe('completed');
      else expect([complete.status, t.status]).toEqual([409, 'cancelled']);
      expect(view.history.filter((h: any) => h.elementId === 'check').length).toBe(complete.status === 200 ? 1 : 0);
    }
  });
});
