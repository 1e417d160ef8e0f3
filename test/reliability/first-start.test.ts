// Several servers on one store as an installation starts them (docs/deploy.md): three servers started
// at the same moment on an empty MongoDB (a FerretDB of this file's own) seed it exactly once — one of
// them loads the shipped rule sets and creates the accounts, the others wait for it and serve what it
// loaded — and /api/health, as a load balancer asks it, answers 200 while the store answers and 503
// problem+json within its bound once the store is gone.
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { clusterEnv } from '../support/cluster.js';
import { ADMIN_PASSWORD, Client, FIXTURE_CONTENT, startServer, tempDir, type Server } from '../support/server.js';
import { startFerretDb } from '../support/servers.js';

const SERVERS = 3;

let ferret: Awaited<ReturnType<typeof startFerretDb>> | null = null;
let servers: Server[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  ferret?.process.kill('SIGKILL');
});

describe(`${SERVERS} servers started at once on an empty MongoDB`, () => {
  it('seeds the store once, and every server serves what was seeded', { timeout: 120_000 }, async () => {
    ferret = await startFerretDb();
    const env = clusterEnv(ferret.uri, 'yishi_first_start');
    servers = await Promise.all(Array.from({ length: SERVERS }, () => startServer({ env })));
    expect(servers.filter((s) => s.output().includes('first start')), 'servers that seeded the store').toHaveLength(1);

    const client = await MongoClient.connect(ferret.uri);
    try {
      const db = client.db('yishi_first_start');
      const created = await db.collection('audit').find({ action: 'user.create' }).toArray();
      const usernames = created.map((a) => a.targetId as string);
      expect(usernames).toContain('admin');
      expect(usernames).toContain('town-a.staff');
      expect(new Set(usernames).size, 'accounts created more than once').toBe(usernames.length);
      expect(await db.collection('users').countDocuments()).toBe(usernames.length);
    } finally {
      await client.close();
    }
    for (const s of servers) {
      const admin = await Client.signIn(s.url, 'admin', ADMIN_PASSWORD);
      const town = await admin.get('/api/jurisdictions/town-a');
      // Loaded once: the shipped rule set is its first version.
      expect([town.status, town.body.version]).toEqual([200, 1]);
      expect((await (await Client.signIn(s.url, 'town-a.staff')).get('/api/session')).status).toBe(200);
    }
  });

  it('seeds it once when the starts interleave step by step (three apps in one process)', { timeout: 60_000 }, async () => {
    const env = { ...clusterEnv(ferret!.uri, 'yishi_first_start_apps'), CONTENT_DIR: FIXTURE_CONTENT, ADMIN_PASSWORD, NODE_ENV: 'test' };
    const quiet = { info() {}, warn() {}, error() {} };
    const apps: App[] = await Promise.all(Array.from({ length: SERVERS }, () => createApp(loadConfig({ ...env, DATA_DIR: tempDir() }), quiet)));
    try {
      expect(apps.filter((a) => a.bootstrap !== null)).toHaveLength(1);
      for (const a of apps) expect(a.deps.jurisdictions.get('town-a').version).toBe(1);
    } finally {
      await Promise.all(apps.map((a) => a.close()));
    }
  });

  it('answers /api/health 200 while the store answers, 503 problem+json soon after it is gone', { timeout: 60_000 }, async () => {
    for (const s of servers) expect((await new Client(s.url).get('/api/health')).body).toMatchObject({ status: 'ok', store: 'mongodb' });
    ferret!.process.kill('SIGKILL');
    for (const s of servers) {
      const started = Date.now();
      const res = await new Client(s.url).get('/api/health');
      expect([res.status, res.body.errors?.map((e: { path: string }) => e.path)]).toEqual([503, ['store']]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.detail).toContain('数据库无法连接');
      expect(Date.now() - started).toBeLessThan(5000);
    }
  });
});
