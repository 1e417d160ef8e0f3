// 加签 on the Zeebe engine (ENGINE=zeebe, a broker of this file's own with the Yishi exporter): the
// sign chain lives beside the engine, so the broker's job completes only when the chain is done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type Broker } from '../support/broker.js';
import { Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { P1_PASSED } from '../support/p1.js';
import { instance, startInstance } from '../support/walk.js';

let broker: Broker;
let server: Server;
beforeAll(async () => {
  broker = await startBroker();
  server = await startServer({ contentDir: ROOT, env: broker.serverEnv });
}, 240_000);
afterAll(async () => {
  await server?.stop();
  await broker?.stop();
});

const openAt = (c: Client, instanceId: string, elementId: string) =>
  waitFor(async () => (await c.get(`/api/tasks?instanceId=${instanceId}&status=open`)).body.items.find((t: any) => t.elementId === elementId), 15_000, `task ${elementId}`);

describe('加签 on Zeebe', () => {
  it('before and parallel signers: the broker moves on only when the chain is done', async () => {
    const staff = await Client.signIn(server.url, 'national.staff');
    const official = await Client.signIn(server.url, 'national.official');
    const inst = await startInstance(staff, 'national', 'consultation');
    const task = await openAt(staff, inst.id, 'collect');
    expect((await staff.post(`/api/tasks/${task.id}/claim`)).status).toBe(200);

    expect((await staff.post(`/api/tasks/${task.id}/sign`, { users: ['national.official'], mode: 'before', comment: '先请书记把关' })).status).toBe(200);
    expect((await official.post(`/api/tasks/${task.id}/complete`, { data: {}, comment: '同意' })).body).toMatchObject({ status: 'open', assignee: 'national.staff' });

    expect((await staff.post(`/api/tasks/${task.id}/sign`, { users: ['national.official'], mode: 'parallel' })).status).toBe(200);
    expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect, comment: '材料齐全' })).body.status).toBe('open');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await instance(staff, inst.id)).active.map((a: any) => a.elementId)).toEqual(['collect']);
    const last = await official.post(`/api/tasks/${task.id}/complete`, { data: {}, comment: '同意' });
    expect(last.status, JSON.stringify(last.body)).toBe(200);
    await openAt(staff, inst.id, 'screen');
    const view = await instance(staff, inst.id);
    expect(view.variables).toMatchObject({ reporter: '张三' });
    expect(view.history.filter((h: any) => h.type === 'Countersign').map((h: any) => h.by)).toEqual(['national.official', 'national.staff', 'national.official']);
  });
});
