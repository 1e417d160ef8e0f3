// Editing a rule set without a file (PUT /api/jurisdictions/:id): a child of Wushen Banner is
// created and changed in versions; wrong-typed and out-of-bounds parameters are refused naming
// their paths with nothing stored; a stale version is 409; every save is audited with its diff;
// an admin of a sibling may not touch it; a bundle import of it goes through versions too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, ROOT, startServer, type Server } from '../support/server.js';

let server: Server;
let admin: Client;
let wushenAdmin: Client;

beforeAll(async () => {
  server = await startServer({ contentDir: ROOT });
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  wushenAdmin = await Client.signIn(server.url, 'wushen-banner.admin');
});
afterAll(async () => {
  await server?.stop();
});

const child = { name: '嘎鲁图镇', parent: 'wushen-banner', parameters: { replyDeadline: 'P5D' }, vocabulary: { 村: '嘎查' }, groups: {} };
const audits = async () => (await admin.get('/api/audit?jurisdiction=galutu&limit=200')).body.items as any[];

describe('PUT /api/jurisdictions/:id', () => {
  it('creates a child (201, version 1) that inherits what it does not override', async () => {
    const res = await wushenAdmin.put('/api/jurisdictions/galutu', { ...child, baseVersion: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ id: 'galutu', parent: 'wushen-banner', version: 1, parameters: { replyDeadline: 'P5D', passRatio: 0.5 } });
    expect(res.body.sources.parameters).toMatchObject({ replyDeadline: 'galutu', passRatio: 'national' });
    expect(res.body.parameterTypes.replyDeadline).toMatchObject({ type: 'duration', label: '上级反馈期限' });
    expect((await wushenAdmin.get('/api/jurisdictions/galutu')).body.version).toBe(1);
  });

  it('refuses wrong-typed and out-of-bounds parameters at once, naming each path, and stores nothing', async () => {
    const before = await audits();
    const res = await wushenAdmin.put('/api/jurisdictions/galutu', {
      ...child, parameters: { replyDeadline: 'abc', passRatio: -0.2, implementationDeadline: 'P5Y' }, baseVersion: 1,
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path).sort()).toEqual(['/parameters/implementationDeadline', '/parameters/passRatio', '/parameters/replyDeadline']);
    expect(res.body.errors.find((e: any) => e.path === '/parameters/replyDeadline').message).toContain('上级反馈期限');
    const j = (await wushenAdmin.get('/api/jurisdictions/galutu')).body;
    expect(j).toMatchObject({ version: 1, parameters: { replyDeadline: 'P5D', passRatio: 0.5 } });
    expect((await audits()).length).toBe(before.length);
    const bundle = await admin.post('/api/rulesets', { jurisdiction: { id: 'galutu', name: '嘎鲁图镇', parent: 'wushen-banner' }, parameters: { replyDeadline: 10 } });
    expect(bundle.status).toBe(422);
    expect(bundle.body.errors.map((e: any) => e.path)).toEqual(['/parameters/replyDeadline']);
  });

  it('refuses a row of the 三事 table outside 大事/小事/私事 (table parameters are checked cell by cell)', async () => {
    const res = await admin.put('/api/jurisdictions/triage-child', {
      name: '某镇', parent: 'township-triage', parameters: { categoryClass: { 垃圾分类: '中事' } }, vocabulary: {}, groups: {}, baseVersion: 0,
    });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path)).toEqual(['/parameters/categoryClass/垃圾分类']);
    expect((await admin.get('/api/jurisdictions/triage-child')).status).toBe(404);
  });

  it('updates (200, version 2) with an audit entry holding the diff, and refuses the stale version (409)', async () => {
    const res = await wushenAdmin.put('/api/jurisdictions/galutu', { ...child, parameters: { replyDeadline: 'P7D' }, vocabulary: { 村: '嘎查', 乡镇: '镇' }, baseVersion: 1 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ version: 2, parameters: { replyDeadline: 'P7D' }, vocabulary: { 乡镇: '镇' } });
    const entry = (await audits()).find((a) => a.action === 'jurisdiction.update');
    expect(entry).toMatchObject({ actor: 'wushen-banner.admin', beforeVersion: 1, afterVersion: 2 });
    expect(entry.detail.changes).toEqual([
      { path: '/parameters/replyDeadline', from: 'P5D', to: 'P7D' },
      { path: '/vocabulary/乡镇', from: null, to: '镇' },
    ]);
    const stale = await wushenAdmin.put('/api/jurisdictions/galutu', { ...child, baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect((await wushenAdmin.get('/api/jurisdictions/galutu')).body.parameters.replyDeadline).toBe('P7D');
    expect((await wushenAdmin.put('/api/jurisdictions/galutu', { ...child, baseVersion: 0 })).status).toBe(409);
  });

  it('lets only admins of the jurisdiction or above save it (a sibling’s admin → 403)', async () => {
    const anhuiAdmin = await Client.signIn(server.url, 'anhui.admin');
    expect((await anhuiAdmin.put('/api/jurisdictions/galutu', { ...child, baseVersion: 2 })).status).toBe(403);
    expect((await anhuiAdmin.put('/api/jurisdictions/other-town', { ...child, baseVersion: 0 })).status).toBe(403);
    const official = await Client.signIn(server.url, 'wushen-banner.official');
    expect((await official.put('/api/jurisdictions/galutu', { ...child, baseVersion: 2 })).status).toBe(403);
    // Moving it under a jurisdiction the admin does not hold is refused too.
    expect((await wushenAdmin.put('/api/jurisdictions/galutu', { ...child, parent: 'anhui', baseVersion: 2 })).status).toBe(403);
    expect((await new Client(server.url).put('/api/jurisdictions/galutu', { ...child, baseVersion: 2 })).status).toBe(401);
  });

  it('takes a bundle import of an existing jurisdiction as a new version, audited with its diff', async () => {
    const res = await admin.post('/api/rulesets', { jurisdiction: { id: 'galutu', name: '嘎鲁图镇', parent: 'wushen-banner' }, parameters: { replyDeadline: 'P3D' }, vocabulary: { 村: '嘎查', 乡镇: '镇' }, groups: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const j = (await admin.get('/api/jurisdictions/galutu')).body;
    expect(j).toMatchObject({ version: 3, parameters: { replyDeadline: 'P3D' } });
    const entry = (await audits()).find((a) => a.action === 'ruleset.import');
    expect(entry).toMatchObject({ beforeVersion: 2, afterVersion: 3, detail: { changes: [{ path: '/parameters/replyDeadline', from: 'P7D', to: 'P3D' }] } });
  });
});
