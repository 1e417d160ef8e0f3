// Crash safety under load: clients complete the shipped P1 procedure concurrently while the server
// is killed with SIGKILL at random moments and restarted on the same data. Afterwards every
// completion that got a 200 is stored exactly once, every instance is in a state its diagram
// allows, and all of them go on to their ends.
import { afterAll, describe, expect, it } from 'vitest';
import { Client, ROOT, startServer, tempDir, type Server } from '../support/server.js';
import { P1_PASSED } from '../support/p1.js';

const KILLS = 20;
const INSTANCES = 40;
const WORKERS = 4;

const DATA = P1_PASSED;
const PATH = Object.keys(DATA);

let server: Server | null = null;
afterAll(async () => {
  await server?.stop('SIGKILL');
});

describe('crash safety', () => {
  it(`keeps every acknowledged completion exactly once across ${KILLS} kill -9 restarts`, { timeout: 300_000 }, async () => {
    const dataDir = tempDir();
    server = await startServer({ dataDir, contentDir: ROOT });
    let staff = await Client.signIn(server.url, 'national.staff');
    const ids: string[] = [];
    for (let i = 0; i < INSTANCES; i++) ids.push((await staff.post('/api/instances', { jurisdiction: 'national', processKey: 'consultation' })).body.id);

    const acknowledged: { taskId: string; instanceId: string; elementId: string }[] = [];
    let stopping = false;
    let generation = 0;
    const errors: string[] = [];

    async function worker(n: number) {
      while (!stopping) {
        const gen = generation;
        try {
          const open = (await staff.get('/api/tasks?status=open&limit=200')).body.items.filter((t: any) => ids.includes(t.instanceId));
          const task = open[Math.floor(Math.random() * open.length)] ?? open[n];
          if (!task) {
            await new Promise((r) => setTimeout(r, 50));
            continue;
          }
          const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: DATA[task.elementId] });
          if (res.status === 200) acknowledged.push({ taskId: task.id, instanceId: task.instanceId, elementId: task.elementId });
          else if (res.status !== 409) errors.push(`${task.elementId}: ${res.status} ${JSON.stringify(res.body)}`);
        } catch {
          // The server is down (killed): wait for the next generation.
          while (!stopping && gen === generation) await new Promise((r) => setTimeout(r, 50));
        }
      }
    }

    const workers = Array.from({ length: WORKERS }, (_, n) => worker(n));
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 900));
      await server.stop('SIGKILL');
      server = await startServer({ dataDir, contentDir: ROOT });
      staff = await Client.signIn(server.url, 'national.staff');
      generation++;
    }
    // Let the last generation finish every instance.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const views = await Promise.all(ids.map(async (id) => (await staff.get(`/api/instances/${id}`)).body));
      if (views.every((v) => v.status === 'completed') || Date.now() > deadline) {
        if (Date.now() > deadline) console.log(views.map((v) => `${v.status} ${v.active?.map((a: any) => a.elementId)} ${v.incident?.message ?? ''}`).join('\n'));
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    stopping = true;
    await Promise.all(workers);
    expect(errors).toEqual([]);

    const tasks = (await staff.all('/api/tasks?limit=200')).filter((t: any) => ids.includes(t.instanceId));
    const byId = new Map(tasks.map((t: any) => [t.id, t]));
    for (const ack of acknowledged) expect((byId.get(ack.taskId) as any)?.status, `acknowledged ${ack.taskId}`).toBe('completed');
    expect(new Set(acknowledged.map((a) => a.taskId)).size).toBe(acknowledged.length);

    for (const id of ids) {
      const v = (await staff.get(`/api/instances/${id}`)).body;
      expect(v.status, `instance ${id}`).toBe('completed');
      // Each step of the path is done exactly once and in the diagram's order.
      const steps = v.history.map((h: any) => h.elementId).filter((e: string) => PATH.includes(e));
      expect(steps).toEqual(PATH);
      const own = tasks.filter((t: any) => t.instanceId === id);
      expect(own.map((t: any) => t.status)).toEqual(PATH.map(() => 'completed'));
      expect(v.history.at(-1).elementId).toBe('end-done');
    }
    expect(acknowledged.length).toBeLessThanOrEqual(INSTANCES * PATH.length);
    console.log(`crash: ${KILLS} kills, ${acknowledged.length} acknowledged completions of ${INSTANCES * PATH.length}`);
  });
});
