// The product on MongoDB (FerretDB here): an installation written on SQLite is migrated with
// `npm run migrate`, read back equal through the HTTP API, and its consultation runs to its end.
import crypto from 'node:crypto';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_PASSWORD, Client, ROOT, startServer, type Server } from '../support/server.js';
import { completeNext, instance, startInstance } from '../support/walk.js';
import { P1_PASSED } from '../support/p1.js';

const run = promisify(execFile);
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function snapshot(client: Client, ids: string[]) {
  const instances = await Promise.all(ids.map((id) => instance(client, id)));
  const tasks = (await client.get('/api/tasks?limit=200')).body.items;
  const audit = (await client.get('/api/audit?jurisdiction=national&limit=200')).body.items.map(({ id: _id, ...e }: any) => e);
  const jurisdictions = await Promise.all(['national', 'anhui', 'wushen-banner', 'township-triage'].map(async (j) => (await client.get(`/api/jurisdictions/${j}`)).body));
  return { instances, tasks, audit, jurisdictions };
}

describe('MongoDB store', () => {
  it('takes over a SQLite installation by migration and runs its consultation to the end', async () => {
    const uri = inject('mongodbUri');
    if (!uri) throw new Error(`no MongoDB-protocol server: ${inject('serversProblem')}`);
    const sqlite = await startServer({ contentDir: ROOT });
    servers.push(sqlite);
    const staff = await Client.signIn(sqlite.url, 'national.staff');
    const open = await startInstance(staff, 'national', 'consultation');
    await completeNext(staff, open.id, 'collect', { reportDate: '2026-11-01', description: '路灯损坏多日未修', reporter: '赵六', channel: '微信公众号', contact: '13900000000' });
    await completeNext(staff, open.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业', opinion: '$where 与 {"$ne": 1} 作为文字保存' });
    const rejected = await startInstance(staff, 'national', 'consultation');
    await completeNext(staff, rejected.id, 'collect', { reportDate: '2026-11-01', description: '要求减免上级统一收取的费用', reporter: '钱七', channel: '热线电话' });
    await completeNext(staff, rejected.id, 'screen', { admissible: false, rejectReason: '上级明确要求、明文规定必须执行', opinion: '属上级规定' });
    const official = await Client.signIn(sqlite.url, 'national.official');
    const before = await snapshot(official, [open.id, rejected.id]);
    await sqlite.stop();

    const target = `${uri}migrated-${crypto.randomUUID().slice(0, 8)}`;
    const migrated = await run(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'server/cli/migrate.ts'), `sqlite:${path.join(sqlite.dataDir, 'yishi.db')}`, target]);
    expect(migrated.stdout).toMatch(/"instances":2/);
    const again = await run(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'server/cli/migrate.ts'), `sqlite:${path.join(sqlite.dataDir, 'yishi.db')}`, target]).catch((e) => e);
    expect(again.stderr).toContain('not empty');

    const mongo = await startServer({ contentDir: ROOT, dataDir: sqlite.dataDir, env: { STORE: 'mongodb', MONGODB_URI: target } });
    servers.push(mongo);
    expect(mongo.output()).not.toContain('first start');
    const after = await snapshot(await Client.signIn(mongo.url, 'national.official'), [open.id, rejected.id]);
    expect(after).toEqual(before);

    const staffOnMongo = await Client.signIn(mongo.url, 'national.staff');
    const rest = Object.entries({ ...P1_PASSED, draft: { ...P1_PASSED.draft, topic: '修复路灯' } }).slice(2);
    for (const [elementId, data] of rest) await completeNext(staffOnMongo, open.id, elementId, data);
    const done = await instance(staffOnMongo, open.id);
    expect(done.status).toBe('completed');
    const screened = (await staffOnMongo.get(`/api/tasks?status=completed&limit=200`)).body.items.find((t: any) => t.instanceId === open.id && t.elementId === 'screen');
    expect(screened.data.opinion).toBe('$where 与 {"$ne": 1} 作为文字保存');
    const results = (await new Client(mongo.url).get('/api/public/results?jurisdiction=national')).body.items;
    expect(results.map((r: any) => r.title).sort()).toEqual(['修复路灯', '落实情况：修复路灯']);
    const users = (await (await Client.signIn(mongo.url, 'admin', ADMIN_PASSWORD)).get('/api/users')).body;
    expect((users.items ?? users).map((u: any) => u.username)).toContain('wushen-banner.staff');
  });
});
