// The product on MongoDB (FerretDB here): an installation written on SQLite is migrated with
// `npm run migrate`, read back equal through the HTTP API, and its consultation runs to its end;
// its attachments and notifications come along.
import crypto from 'node:crypto';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { wushenToImplementation } from '../support/wushen.js';
import { completeNext, instance, startInstance } from '../support/walk.js';
import { P1_PASSED } from '../support/p1.js';

const run = promisify(execFile);
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

const migrate = (from: Server, target: string) =>
  run(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'server/cli/migrate.ts'), `sqlite:${path.join(from.dataDir, 'yishi.db')}`, target]);
const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

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
    const migrated = await migrate(sqlite, target);
    expect(migrated.stdout).toMatch(/"instances":2/);
    const again = await migrate(sqlite, target).catch((e) => e);
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

  it('migrates attachments (the same bytes, by sha256) and notifications with who has read them', { timeout: 120_000 }, async () => {
    const uri = inject('mongodbUri');
    if (!uri) throw new Error(`no MongoDB-protocol server: ${inject('serversProblem')}`);
    const sqlite = await startServer({ contentDir: ROOT });
    servers.push(sqlite);
    const admin = await Client.signIn(sqlite.url, 'admin', ADMIN_PASSWORD);
    const gacha = { jurisdiction: { id: 'test-gacha', name: '测试嘎查', parent: 'wushen-banner' }, parameters: { replyDeadline: 'PT1S' } };
    expect((await admin.post('/api/rulesets', gacha)).status).toBe(201);
    const staff = await Client.signIn(sqlite.url, 'wushen-banner.staff');
    const bytes = Buffer.concat([Buffer.from('村民代表会议签到簿\n'), crypto.randomBytes(300_000).map((b) => 32 + (b % 90))]);
    const up = await staff.upload('/api/attachments?jurisdiction=test-gacha', '签到簿.txt', bytes);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const inst = await wushenToImplementation(staff, 'test-gacha', '上级部门落实');
    const inbox = async (client: Client) => (await client.get('/api/notifications')).body.items.filter((n: any) => n.instanceId === inst.id);
    const before = await waitFor(async () => {
      const items = await inbox(staff);
      return items.length >= 2 && items;
    }, 20_000, 'the lapse and the overdue task in the inbox');
    expect((await staff.post(`/api/notifications/${encodeURIComponent(before[0].id)}/read`)).status).toBe(200);
    const marked = await inbox(staff);
    await sqlite.stop();

    const target = `${uri}migrated-${crypto.randomUUID().slice(0, 8)}`;
    const report = JSON.parse((await migrate(sqlite, target)).stdout.match(/\{.*\}/)![0]);
    expect(report).toMatchObject({ attachments: 1, notifications: marked.length });
    const mongo = await startServer({ contentDir: ROOT, dataDir: sqlite.dataDir, env: { STORE: 'mongodb', MONGODB_URI: target } });
    servers.push(mongo);
    const staffOnMongo = await Client.signIn(mongo.url, 'wushen-banner.staff');
    const down = await staffOnMongo.bytes(`/api/attachments/${up.body.id}`);
    expect(down.status).toBe(200);
    expect(sha256(down.bytes)).toBe(sha256(bytes));
    expect(down.headers.get('content-disposition')).toContain(encodeURIComponent('签到簿.txt'));
    // The same notifications, the read one still read, the rest unread.
    expect(await inbox(staffOnMongo)).toEqual(marked);
    expect(marked.filter((n: any) => n.read).map((n: any) => n.id)).toEqual([before[0].id]);
  });
});
