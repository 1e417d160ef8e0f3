// Case numbers and titles (API v1.1 "Case context on lists"): every instance gets a gapless number
// per jurisdiction and year, also when many start at once, on SQLite and on MongoDB (FerretDB); its
// title follows the process's summary rule, and lists carry and search both.
import crypto from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { P1_PASSED } from '../support/p1.js';
import { Client, ROOT, startServer, type Server } from '../support/server.js';
import { completeNext, instance, startInstance } from '../support/walk.js';

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
const seqOf = (no: string) => Number(no.split('-')[1]);

async function numbersUnderConcurrentStarts(staff: Client, n: number) {
  const started = await Promise.all(Array.from({ length: n }, () => startInstance(staff, 'national', 'consultation')));
  const nos = await Promise.all(started.map(async (s) => (await instance(staff, s.id)).no as string));
  return nos;
}

function expectGapless(nos: string[]) {
  for (const no of nos) expect(no).toMatch(new RegExp(`^${year}-\\d{4}$`));
  expect(nos.map(seqOf).sort((a, b) => a - b)).toEqual(Array.from({ length: nos.length }, (_, i) => i + 1));
}

describe('case numbers and titles on SQLite', () => {
  let staff: Client;
  it('numbers concurrent starts gaplessly, per jurisdiction', async () => {
    const server = await startServer({ contentDir: ROOT });
    servers.push(server);
    staff = await Client.signIn(server.url, 'national.staff');
    expectGapless(await numbersUnderConcurrentStarts(staff, 25));
    const triage = await Client.signIn(server.url, 'township-triage.staff');
    const other = await startInstance(triage, 'township-triage', 'triage');
    expect((await instance(triage, other.id)).no).toBe(`${year}-0001`);
  });

  it('titles a case by its summary rule once the topic is entered, and lists carry and search it', async () => {
    const inst = await startInstance(staff, 'national', 'consultation');
    const fresh = await instance(staff, inst.id);
    // Before its summary rule has anything to say, the case is called by its process's name.
    expect(fresh.title).toBe('城乡社区协商');
    await completeNext(staff, inst.id, 'collect', { ...P1_PASSED.collect, description: '东门路灯损坏多日未修', reporter: '赵六' });
    const titled = await instance(staff, inst.id);
    expect(titled).toMatchObject({ title: '东门路灯损坏多日未修', summary: { reporter: '赵六' }, no: fresh.no });

    const tasks = (await staff.get(`/api/tasks?status=open&q=${encodeURIComponent('路灯')}`)).body.items;
    expect(tasks.map((t: any) => [t.instanceId, t.no, t.title])).toEqual([[inst.id, fresh.no, '东门路灯损坏多日未修']]);
    const byReporter = (await staff.get(`/api/instances?jurisdiction=national&q=${encodeURIComponent('赵六')}`)).body.items;
    expect(byReporter.map((i: any) => [i.id, i.no, i.title])).toEqual([[inst.id, fresh.no, '东门路灯损坏多日未修']]);
    const byNo = (await staff.get(`/api/instances?jurisdiction=national&q=${fresh.no}`)).body.items;
    expect(byNo.map((i: any) => i.id)).toEqual([inst.id]);
    const task = (await staff.get(`/api/tasks/${tasks[0].id}`)).body;
    expect(task).toMatchObject({ no: fresh.no, title: '东门路灯损坏多日未修' });

    await completeNext(staff, inst.id, 'screen', P1_PASSED.screen);
    await completeNext(staff, inst.id, 'draft', { ...P1_PASSED.draft, topic: '修复东门路灯' });
    expect((await instance(staff, inst.id)).title).toBe('修复东门路灯');
  });
});

describe('cases on MongoDB (FerretDB)', () => {
  it('numbers concurrent starts from two servers on one database gaplessly; the ledger, search and statistics read them', async () => {
    const uri = inject('mongodbUri');
    if (!uri) throw new Error(`no MongoDB-protocol server: ${inject('serversProblem')}`);
    const env = { STORE: 'mongodb', MONGODB_URI: `${uri}cases-${crypto.randomUUID().slice(0, 8)}` };
    const first = await startServer({ contentDir: ROOT, env });
    servers.push(first);
    const second = await startServer({ contentDir: ROOT, env });
    servers.push(second);
    const [a, b] = await Promise.all([Client.signIn(first.url, 'national.staff'), Client.signIn(second.url, 'national.staff')]);
    const nos = (await Promise.all([numbersUnderConcurrentStarts(a, 12), numbersUnderConcurrentStarts(b, 12)])).flat();
    expectGapless(nos);

    // The ledger, its search and the statistics read the same cases on this store.
    const titled = (await a.get('/api/instances?jurisdiction=national&limit=1')).body.items[0];
    await completeNext(a, titled.id, 'collect', { ...P1_PASSED.collect, description: '西门垃圾清运不及时', reporter: '孙八' });
    const ledger = (await b.get('/api/ledger?jurisdiction=national&limit=100')).body;
    expect(ledger.items.map((r: any) => r.no).sort()).toEqual([...nos].sort());
    const found = (await b.get(`/api/ledger?jurisdiction=national&q=${encodeURIComponent('垃圾清运')}`)).body.items;
    expect(found.map((r: any) => [r.instanceId, r.title, r.reporter])).toEqual([[titled.id, '西门垃圾清运不及时', '孙八']]);
    expect((await b.get(`/api/tasks?status=open&q=${encodeURIComponent('孙八')}`)).body.items.map((t: any) => t.title)).toEqual(['西门垃圾清运不及时']);
    expect((await b.get('/api/stats?jurisdiction=national')).body).toMatchObject({ total: 24, open: 24, byProcess: [{ key: 'consultation', label: '城乡社区协商', count: 24 }] });
  });
});
