// Zeebe mode when the broker's answer does not come (issue 12). A TCP proxy sits between the Yishi
// server and the broker's gateway (the record stream goes straight to the exporter):
//   - the broker is unreachable: a completion answers 503 (problem+json, Chinese message,
//     Retry-After) and changes nothing; sent again once the broker is back, it completes;
//   - the answer is lost: the completion reaches the broker, which carries it out, but the
//     connection drops before its answer comes back. The task must end completed, with its data and
//     the user who sent it, as the record stream says — not cancelled. Either the client's retry
//     finds the job gone and the records tell it was this completion (200), or, with the record
//     stream away too (a second proxy in front of the exporter), the caller hears 503 and the
//     records complete the task once they arrive.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startBroker, type Broker } from '../support/broker.js';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { instance, startInstance } from '../support/walk.js';
import { diagram, importProcesses, tasksOf, userTask } from '../support/zeebe.js';

const J = `za-${process.pid}`;
const TWO_STEPS = diagram('twosteps', {
  s: 'startEvent', a: `userTask${userTask('受理')}`, b: `userTask${userTask('办结')}`, e: 'endEvent',
}, [['f1', 's', 'a'], ['f2', 'a', 'b'], ['f3', 'b', 'e']]);

/** Forwards to the broker; `refuse` closes new connections, `swallow` drops what the broker sends back. */
class Proxy {
  refuse = false;
  swallow = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (this.refuse) return void client.destroy();
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (d) => upstream.write(d));
      upstream.on('data', (d) => this.swallow || client.write(d));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  listen(port: number) {
    return new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
  }

  /** Drops every open connection (as a broker crash or a network cut does). */
  cut() {
    for (const s of this.sockets) s.destroy();
  }

  close() {
    this.cut();
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let broker: Broker;
let proxy: Proxy;
let records: Proxy;
let server: Server;
let staff: Client;

beforeAll(async () => {
  broker = await startBroker();
  const [host, port] = broker.address.split(':');
  proxy = new Proxy({ host: host!, port: Number(port) });
  const proxyPort = await freePort();
  await proxy.listen(proxyPort);
  const exporter = new URL(broker.exporterUrl);
  records = new Proxy({ host: exporter.hostname, port: Number(exporter.port) });
  const recordsPort = await freePort();
  await records.listen(recordsPort);
  server = await startServer({ contentDir: ROOT, env: { ...broker.serverEnv, ZEEBE_ADDRESS: `127.0.0.1:${proxyPort}`, ZEEBE_EXPORTER_URL: `http://127.0.0.1:${recordsPort}` } });
  await importProcesses(await Client.signIn(server.url, 'admin', ADMIN_PASSWORD), J, { twosteps: TWO_STEPS });
  staff = await Client.signIn(server.url, 'national.staff');
}, 240_000);
afterAll(async (suite) => {
  if (suite.tasks.some((t) => t.result?.state === 'fail')) console.log(server?.output().slice(-4000));
  await server?.stop();
  await proxy?.close();
  await records?.close();
  await broker?.stop();
});

/** Sends a completion of the task whose answer the broker never gets back to the server, and cuts the connection. */
async function completeLosingTheAnswer(taskId: string, data: Record<string, unknown>) {
  proxy.swallow = true;
  const sent = staff.post(`/api/tasks/${taskId}/complete`, { data });
  await new Promise((r) => setTimeout(r, 1500));
  proxy.refuse = true;
  proxy.cut();
  proxy.swallow = false;
  return sent;
}

/** The task once it is no longer open, as the record stream settles it. */
async function closed(taskId: string) {
  return waitFor(async () => {
    const t = (await staff.get(`/api/tasks/${taskId}`)).body;
    return t.status !== 'open' && t;
  }, 20_000, 'the records to close the task');
}

async function openTaskAt(instanceId: string, elementId: string) {
  return waitFor(async () => (await tasksOf(staff, instanceId)).find((t) => t.elementId === elementId && t.status === 'open'), 15_000, `task ${elementId}`);
}

describe('Zeebe mode without the broker’s answer', () => {
  it('answers 503 with Retry-After while the broker is unreachable, and completes once it is back', async () => {
    const inst = await startInstance(staff, J, 'twosteps');
    const a = await openTaskAt(inst.id, 'a');
    proxy.refuse = true;
    proxy.cut();
    const started = Date.now();
    const res = await staff.post(`/api/tasks/${a.id}/complete`, { data: { ok: true } });
    const body = res.body;
    console.log(`broker unreachable: ${res.status} after ${Date.now() - started} ms, Retry-After ${res.headers.get('retry-after')}: ${body.detail}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body.detail).toMatch(/^流程引擎暂时无法连接/);
    expect((await staff.get(`/api/tasks/${a.id}`)).body.status).toBe('open');
    proxy.refuse = false;
    const again = await waitFor(async () => {
      const r = await staff.post(`/api/tasks/${a.id}/complete`, { data: { ok: true } });
      return r.status !== 503 && r;
    }, 30_000, 'the broker to answer again');
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    await openTaskAt(inst.id, 'b');
  });

  it('records a completion whose answer was lost as completed by its sender, from the record stream', async () => {
    const inst = await startInstance(staff, J, 'twosteps');
    const a = await openTaskAt(inst.id, 'a');
    // The request reaches the broker, which completes the job; its answer never comes back.
    const sent = completeLosingTheAnswer(a.id, { 受理意见: '同意' });
    await new Promise((r) => setTimeout(r, 2500));
    proxy.refuse = false;
    const res = await sent;
    console.log(`lost answer: the completion answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    expect([200, 503]).toContain(res.status);
    const done = await closed(a.id);
    expect(done).toMatchObject({ status: 'completed', completedBy: 'national.staff', data: { 受理意见: '同意' } });
    await openTaskAt(inst.id, 'b');
    const history = (await instance(staff, inst.id)).history.filter((h: any) => h.elementId === 'a');
    expect(history).toEqual([expect.objectContaining({ type: 'UserTask', by: 'national.staff', data: { 受理意见: '同意' } })]);
  });

  it('answers 503 when neither the answer nor the records come, then completes the task from the records', async () => {
    const inst = await startInstance(staff, J, 'twosteps');
    const a = await openTaskAt(inst.id, 'a');
    records.refuse = true;
    records.cut();
    const res = await completeLosingTheAnswer(a.id, { 受理意见: '补正后同意' });
    console.log(`lost answer, records away: the completion answered ${res.status} ${res.body?.detail ?? ''}`);
    expect(res.status).toBe(503);
    expect((await staff.get(`/api/tasks/${a.id}`)).body.status).toBe('open');
    proxy.refuse = false;
    records.refuse = false;
    const done = await closed(a.id);
    expect(done).toMatchObject({ status: 'completed', completedBy: 'national.staff', data: { 受理意见: '补正后同意' } });
    await openTaskAt(inst.id, 'b');
    expect((await tasksOf(staff, inst.id)).map((t) => t.status).sort()).toEqual(['completed', 'open']);
  });
});
