// Durability: SIGKILL between two steps, restart on the same DATA_DIR, the instance goes on; a
// timer that fell due while the server was down fires at start, the others keep their due time.
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
