// Zeebe mode under faults (issue 12): clients complete tasks concurrently while (1) the broker is
// killed with SIGKILL and restarted on its data, (2) the Yishi server is killed with SIGKILL and
// restarted on its data, (3) the Yishi server is away while instances are cancelled directly in
// Zeebe (the exporter's target is lost; its buffer of 32 records fills and the broker holds the rest).
// Afterwards every completion that got a 200 is stored exactly once, each instance's history has
// each step at most once, every published result exists once, no task is left open, and the
// server found the broker again by itself.
import { afterAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../support/broker.js';
import { ADMIN_PASSWORD, Client, ROOT, startServer, tempDir, waitFor, type Server } from '../support/server.js';
import { diagram, importProcesses, processInstanceKey, userTask, zeebeClient } from '../support/zeebe.js';

const INSTANCES = 30;
const CANCELLED_IN_ZEEBE = 4;
const WORKERS = 3;
const PACE_MS = 1500;
/** Records the exporter holds for Yishi: the cancels while Yishi is away alone make more. */
const CAPACITY = 32;
const J = `zf-${process.pid}`;
const PATH = ['a', 'b', 'pub'];
const PIPELINE = diagram('pipeline', {
  s: 'startEvent',
  a: `userTask${userTask('受理')}`,
  b: `userTask${userTask('办结')}`,
  pub: 'serviceTask name="公示"|<bpmn:extensionElements><zeebe:taskDefinition type="publish-result" /><zeebe:taskHeaders><zeebe:header key="title" value="=caseTitle" /><zeebe:header key="fields" value="caseTitle" /></zeebe:taskHeaders></bpmn:extensionElements>',
  e: 'endEvent',
}, [['f1', 's', 'a'], ['f2', 'a', 'b'], ['f3', 'b', 'pub'], ['f4', 'pub', 'e']]);

let broker: Broker | null = null;
let server: Server | null = null;
afterAll(async () => {
  await server?.stop('SIGKILL');
  await broker?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Zeebe mode under faults', () => {
  it('loses no acknowledged completion, duplicates nothing and leaves no ghost task across broker and server kills', { timeout: 600_000 }, async () => {
    broker = await startBroker({ exporterCapacity: CAPACITY });
    const dataDir = tempDir();
    const env = broker.serverEnv;
    const start = () => startServer({ dataDir, contentDir: ROOT, env });
    server = await start();
    await importProcesses(await Client.signIn(server.url, 'admin', ADMIN_PASSWORD), J, { pipeline: PIPELINE });
    let staff = await Client.signIn(server.url, 'national.staff');
    const ids: string[] = [];
    for (let i = 0; i < INSTANCES; i++) {
      const res = await staff.post('/api/instances', { jurisdiction: J, processKey: 'pipeline', variables: { caseTitle: `案件 ${i}` } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    const cancelled = new Set(ids.slice(0, CANCELLED_IN_ZEEBE));
    const acknowledged: { taskId: string; instanceId: string; elementId: string }[] = [];
    let stopping = false;
    let paused = false;
    let failures = 0;
    const refusals = new Map<string, number>();

    async function worker(n: number) {
      while (!stopping) {
        if (paused) {
          await sleep(50);
          continue;
        }
        try {
          const open = (await staff.get(`/api/tasks?status=open&limit=200`)).body.items.filter((t: any) => ids.includes(t.instanceId) && !cancelled.has(t.instanceId));
          const task = open[Math.floor(Math.random() * open.length)] ?? open[n];
          if (!task) {
            await sleep(100);
            continue;
          }
          const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: { by: `worker ${n}` } });
          if (res.status === 200) {
            acknowledged.push({ taskId: task.id, instanceId: task.instanceId, elementId: task.elementId });
            await sleep(PACE_MS); // spread the load over all three faults
          } else {
            failures++;
            const why = `${res.status} ${res.body?.detail ?? ''}`.slice(0, 80);
            refusals.set(why, (refusals.get(why) ?? 0) + 1);
            await sleep(200); // Yishi has not caught up with Zeebe yet
          }
        } catch {
          failures++; // the server is down: try again
          await sleep(100);
        }
      }
    }
    const workers = Array.from({ length: WORKERS }, (_, n) => worker(n));
    const log: string[] = [];

    // (1) The broker, under load.
    await sleep(3000);
    let t0 = Date.now();
    const before = acknowledged.length;
    await broker.stop('SIGKILL');
    log.push(`killed the Zeebe broker (kill -9) after ${before} acknowledged completions`);
    await sleep(1000);
    await broker.restart();
    log.push(`restarted the broker on its data in ${Date.now() - t0} ms`);

    // (2) The Yishi server, under load; the same server process finds the broker again by itself
    // (how soon depends on the machine's load: wait, bounded, for a completion through it).
    await waitFor(async () => acknowledged.length > before, 60_000, 'a completion through the same server after the broker restart').catch(() => undefined);
    await sleep(1000);
    const afterBroker = acknowledged.length;
    const pid = server.proc.pid;
    await server.stop('SIGKILL');
    log.push(`killed the Yishi server pid ${pid} (kill -9) after ${acknowledged.length} acknowledged completions`);
    expect(afterBroker, 'completions through the same server after the broker restart').toBeGreaterThan(before);
    server = await start();
    staff = await Client.signIn(server.url, 'national.staff');
    log.push(`restarted the Yishi server on its data`);

    // (3) The exporter's target is away while Zeebe moves: instances are cancelled directly in Zeebe.
    await sleep(2000);
    paused = true;
    const keys = [...cancelled].map((id) => processInstanceKey(server!, id));
    await server.stop('SIGKILL');
    t0 = Date.now();
    const zeebe = zeebeClient(broker.address);
    for (const key of keys) await zeebe.cancelProcessInstance(key).catch(() => undefined);
    await zeebe.close();
    await sleep(5000);
    server = await start();
    staff = await Client.signIn(server.url, 'national.staff');
    log.push(`Yishi away for ${Date.now() - t0} ms while ${keys.length} instances were cancelled in Zeebe (exporter buffer ${CAPACITY} records)`);
    paused = false;

    // Let the load finish every other instance.
    const deadline = Date.now() + 180_000;
    let views: any[] = [];
    for (;;) {
      views = await Promise.all(ids.map(async (id) => (await staff.get(`/api/instances/${id}`)).body));
      const settled = views.every((v) => v.status === (cancelled.has(v.id) ? 'cancelled' : 'completed'));
      if (settled || Date.now() > deadline) break;
      await sleep(500);
    }
    stopping = true;
    await Promise.all(workers);
    const notDone = views.filter((v) => v.status !== (cancelled.has(v.id) ? 'cancelled' : 'completed'));
    if (notDone.length) {
      console.log(`${log.join('\n')}\nrefusals: ${JSON.stringify([...refusals])}\n${server.output().split('\n').slice(-40).map((l) => l.slice(0, 240)).join('\n')}`);
    }
    expect(notDone.map((v) => `${v.id} ${v.status} ${v.active.map((a: any) => a.elementId)} ${v.incident?.message ?? ''}`)).toEqual([]);

    const tasks = (await staff.all('/api/tasks?limit=200')).filter((t: any) => ids.includes(t.instanceId));
    const byId = new Map(tasks.map((t: any) => [t.id, t]));
    for (const ack of acknowledged) expect((byId.get(ack.taskId) as any)?.status, `acknowledged ${ack.elementId} ${ack.taskId}`).toBe('completed');
    expect(new Set(acknowledged.map((a) => a.taskId)).size).toBe(acknowledged.length);
    expect(tasks.filter((t: any) => t.status === 'open')).toEqual([]);
    let duplicates = 0;
    for (const v of views) {
      const steps = v.history.map((h: any) => h.elementId).filter((e: string) => PATH.includes(e));
      duplicates += steps.length - new Set(steps).size;
      if (v.status === 'completed') expect(steps, `instance ${v.id}`).toEqual(PATH);
    }
    expect(duplicates).toBe(0);
    const results = (await new Client(server.url).all(`/api/public/results?jurisdiction=${J}&limit=200`)).filter((r: any) => ids.includes(r.instanceId));
    const completed = views.filter((v) => v.status === 'completed');
    expect(results.map((r: any) => r.instanceId).sort()).toEqual(completed.map((v) => v.id).sort());
    console.log(`zeebe faults: ${log.join('; ')}.\n  counted: ${acknowledged.length} acknowledged completions (${failures} refused or failed: ${JSON.stringify([...refusals])}), ` +
      `${completed.length} instances completed, ${views.length - completed.length} cancelled in Zeebe, ${results.length} results published, ` +
      `${duplicates} duplicate steps, ${tasks.filter((t: any) => t.status === 'open').length} open tasks left`);
  });
});
