// The core runtime through real HTTP against a started server on a temporary DATA_DIR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';

let server: Server;
let staff: Client;
let official: Client;

const openTasks = async (c: Client, instanceId: string) =>
  (await c.get(`/api/tasks?status=open&limit=200`)).body.items.filter((t: any) => t.instanceId === instanceId);

async function startReview(variables: Record<string, unknown> = { caseNo: 'C-1' }, jurisdiction = 'town-a') {
  const res = await staff.post('/api/instances', { jurisdiction, processKey: 'review', variables });
  expect(res.status).toBe(201);
  return res.body;
}

const validData = { kind: 'a', count: 2, expected: 9, present: 7, votesFor: 5, votesAgainst: 1 };

beforeAll(async () => {
  server = await startServer();
  staff = await Client.signIn(server.url, 'town-a.staff');
  official = await Client.signIn(server.url, 'town-a.official');
});
afterAll(async () => {
  await server?.stop();
});

describe('health and sessions', () => {
  it('reports the embedded back ends', async () => {
    const res = await new Client(server.url).get('/api/health');
    expect(res.body).toMatchObject({ status: 'ok', store: 'sqlite', engine: 'embedded' });
  });

  it('signs in with an httpOnly SameSite cookie and refuses a wrong password', async () => {
    const c = new Client(server.url);
    const bad = await c.post('/api/session', { username: 'admin', password: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const ok = await c.post('/api/session', { username: 'admin', password: ADMIN_PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(ok.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    expect((await c.get('/api/session')).body.user.username).toBe('admin');
    await c.del('/api/session');
    expect((await c.get('/api/session')).status).toBe(401);
  });

  it('refuses a state change sent as a form post (CSRF) with 415', async () => {
    const res = await staff.request('POST', '/api/instances', 'jurisdiction=town-a', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
  });

  it('rejects malformed JSON with 400 and oversized bodies with 413', async () => {
    expect((await staff.request('POST', '/api/instances', '{"jurisdiction":')).status).toBe(400);
    const huge = JSON.stringify({ jurisdiction: 'town-a', processKey: 'review', variables: { blob: 'x'.repeat(3 * 1024 * 1024) } });
    expect((await staff.request('POST', '/api/instances', huge)).status).toBe(413);
  });
});

describe('a diagram with a form, a FEEL gateway and timers', () => {
  it('runs to its end: task created with form, groups and due date; gateway routes by FEEL; result published', async () => {
    const inst = await startReview();
    expect(inst.status).toBe('active');
    expect(inst.active.map((a: any) => a.elementId).sort()).toEqual(['check', 'remind']);
    const [task] = await openTasks(staff, inst.id);
    expect(task).toMatchObject({ elementId: 'check', formKey: 'check-form', candidateGroups: ['staff', 'two-committees'], due: '2030-01-01T00:00:00.000Z' });

    const full = (await staff.get(`/api/tasks/${task.id}`)).body;
    expect(full.form.schema.properties.kind.enum).toEqual(['a', 'b', 'c']);
    expect(full.form.schema.title).toBe('嘎查村务审查'); // town-a's vocabulary over the inherited form

    expect((await staff.post(`/api/tasks/${task.id}/claim`)).status).toBe(200);
    const done = await staff.post(`/api/tasks/${task.id}/complete`, { data: validData });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');

    const after = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(after.status).toBe('completed');
    expect(after.variables).toMatchObject({ caseNo: 'C-1', kind: 'a', doubled: 4, published: true });
    expect(after.variables).not.toHaveProperty('count'); // output mappings decide what propagates
    const trail = after.history.map((h: any) => h.elementId);
    expect(trail).toEqual(expect.arrayContaining(['start', 'check', 'route', 'publish', 'end-a']));
    expect(after.history.find((h: any) => h.elementId === 'check').by).toBe('town-a.staff');

    const results = (await new Client(server.url).get('/api/public/results?jurisdiction=town-a')).body.items;
    expect(results.find((r: any) => r.instanceId === inst.id)).toMatchObject({ title: '审查结果 a', content: { kind: 'a', doubled: 4 } });
  });

  it('takes the other branch, waits for a message, and a lapsed reply timer ends it', async () => {
    const inst = await startReview({ caseNo: 'C-lapse' });
    const [task] = await openTasks(staff, inst.id);
    await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...validData, kind: 'b' } });
    const waiting = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(waiting.active.map((a: any) => a.elementId).sort()).toEqual(['lapse', 'wait-reply']);
    const ended = await waitFor(async () => {
      const i = (await staff.get(`/api/instances/${inst.id}`)).body;
      return i.status === 'completed' && i;
    }, 15_000, 'the 2-second reply deadline');
    expect(ended.history.map((h: any) => h.elementId)).toContain('end-lapsed');
  });

  it('correlates a message by name and key, and buffers one that arrives early', async () => {
    const early = await staff.post('/api/messages', { name: 'reply', correlationKey: 'C-early', variables: { answer: 'early' }, ttl: 'PT1M' });
    expect(early.status).toBe(202);
    const inst = await startReview({ caseNo: 'C-early' });
    const [task] = await openTasks(staff, inst.id);
    await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...validData, kind: 'b' } });
    const done = await waitFor(async () => {
      const i = (await staff.get(`/api/instances/${inst.id}`)).body;
      return i.status === 'completed' && i;
    }, 5000, 'the buffered message');
    expect(done.variables.answer).toBe('early');
    expect(done.history.map((h: any) => h.elementId)).toContain('end-b');

    const inst2 = await startReview({ caseNo: 'C-live' });
    const [task2] = await openTasks(staff, inst2.id);
    await staff.post(`/api/tasks/${task2.id}/complete`, { data: { ...validData, kind: 'b' } });
    const hit = await staff.post('/api/messages', { name: 'reply', correlationKey: 'C-live', variables: { answer: 'live' } });
    expect(hit.status).toBe(200);
    expect(hit.body.instanceId).toBe(inst2.id);
    expect((await staff.get(`/api/instances/${inst2.id}`)).body.variables.answer).toBe('live');
  });

  it('lets only people who may start cases publish a message, even one that nobody waits for yet', async () => {
    const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
    const member = { username: 'council.only', displayName: '只在议事会', password: 'long-enough-password', memberships: [{ jurisdiction: 'root', roles: ['council'] }] };
    expect((await admin.post('/api/users', member)).status).toBe(201);
    const council = await Client.signIn(server.url, member.username, member.password);
    const refused = await council.post('/api/messages', { name: 'reply', correlationKey: 'C-nobody', variables: { answer: 'forged' }, ttl: 'PT1M' });
    expect(refused.status).toBe(403);
    // Nothing was buffered: a case that waits for that key later does not receive it.
    const inst = await startReview({ caseNo: 'C-nobody' });
    const [task] = await openTasks(staff, inst.id);
    await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...validData, kind: 'b' } });
    await new Promise((r) => setTimeout(r, 300));
    const view = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(view.status).toBe('active');
    expect(view.variables.answer).toBeUndefined();
  });
});

describe('validation, conflicts and access', () => {
  it('answers an invalid submission with 422 listing every error, and changes nothing', async () => {
    const inst = await startReview({ caseNo: 'C-422' });
    const [task] = await openTasks(staff, inst.id);
    const before = (await staff.get(`/api/instances/${inst.id}`)).body;
    const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: { kind: 'z', count: -1, expected: 3, present: 5 } });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const paths = res.body.errors.map((e: any) => e.path).sort();
    expect(paths).toEqual(['/count', '/kind', '/present']);
    expect(res.body.errors.find((e: any) => e.path === '/kind').message).toMatch(/[\u4e00-\u9fff]/); // Chinese by default
    // Each message names the field's title and says what to do; no keys, no schema words.
    expect(Object.fromEntries(res.body.errors.map((e: any) => [e.path, e.message]))).toEqual({
      '/kind': '“类别”请从给出的选项中选择', '/count': '“数量”不能小于 0', '/present': '“实到人数”不能大于 3',
    });
    const missing = await staff.post(`/api/tasks/${task.id}/complete`, { data: { kind: 'a', count: 1, expected: 3 } });
    expect(missing.body.errors).toEqual([{ path: '/present', message: '请填写“实到人数”' }]);
    const ruleBroken = await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...validData, votesFor: 6, votesAgainst: 3 } });
    expect(ruleBroken.status).toBe(422);
    expect(ruleBroken.body.errors).toEqual([{ path: '/votesFor', message: '赞成与反对票之和不能超过实到人数' }]);
    const after = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(after).toEqual(before);
    expect((await staff.get(`/api/tasks/${task.id}`)).body.status).toBe('open');
  });

  it('lets exactly one of two racing completions win (200 + 409)', async () => {
    const inst = await startReview({ caseNo: 'C-race' });
    const [task] = await openTasks(staff, inst.id);
    const other = await Client.signIn(server.url, 'town-a.staff');
    const results = await Promise.all([
      staff.post(`/api/tasks/${task.id}/complete`, { data: validData }),
      other.post(`/api/tasks/${task.id}/complete`, { data: validData }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(after.history.filter((h: any) => h.elementId === 'check')).toHaveLength(1);
  });

  it('refuses a user of one jurisdiction in a sibling jurisdiction (403)', async () => {
    const inst = await startReview({ caseNo: 'C-sib' });
    const sibling = await Client.signIn(server.url, 'town-b.staff');
    expect((await sibling.get(`/api/instances/${inst.id}`)).status).toBe(403);
    const [task] = await openTasks(staff, inst.id);
    expect((await sibling.post(`/api/tasks/${task.id}/complete`, { data: validData })).status).toBe(403);
    expect((await sibling.post('/api/instances', { jurisdiction: 'town-a', processKey: 'review' })).status).toBe(403);
    expect((await sibling.get('/api/tasks?jurisdiction=town-a')).status).toBe(403);
    expect((await new Client(server.url).get(`/api/instances/${inst.id}`)).status).toBe(401);
    // a user of the parent jurisdiction reaches into its children
    const rootStaff = await Client.signIn(server.url, 'root.staff');
    expect((await rootStaff.get(`/api/instances/${inst.id}`)).status).toBe(200);
  });

  it('refuses a stale baseVersion with 409 naming who changed it', async () => {
    const current = (await official.get('/api/processes/town-a/review')).body;
    expect(current).toMatchObject({ version: 1, definedAt: 'root' });
    const changed = current.xml.replace('name="审查"', 'name="审查（修订）"');
    const first = await official.put('/api/processes/town-a/review', { xml: changed, baseVersion: 1 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 2, definedAt: 'town-a' });
    const stale = await official.put('/api/processes/town-a/review', { xml: changed, baseVersion: 1 });
    expect((await official.get('/api/processes/town-a/review')).body).toMatchObject({ version: 2, definedAt: 'town-a' });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain('town-a.official');
    expect((await official.get('/api/processes?jurisdiction=town-b')).status).toBe(403);
    const rootOfficial = await Client.signIn(server.url, 'root.official');
    const sibling = (await rootOfficial.get('/api/processes?jurisdiction=town-b')).body;
    expect(sibling.find((p: any) => p.key === 'review')).toMatchObject({ definedAt: 'root', version: 1 });
  });
});

describe('cancel', () => {
  it('lets an official cancel an instance: its tasks close, its timers go', async () => {
    const inst = await startReview({ caseNo: 'C-cancel' });
    expect((await staff.post(`/api/instances/${inst.id}/cancel`)).status).toBe(403);
    const res = await official.post(`/api/instances/${inst.id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', active: [] });
    expect(await openTasks(staff, inst.id)).toEqual([]);
    expect((await official.post(`/api/instances/${inst.id}/cancel`)).status).toBe(409);
    const audit = (await official.get(`/api/audit?instanceId=${inst.id}`)).body.items.map((a: any) => a.action);
    expect(audit).toEqual(['instance.cancel', 'instance.start']);
  });
});

describe('incidents', () => {
  it('stops only the element in an incident: a task, a message and a timer of other branches go on; the retry names that element', async () => {
    const xml = fs.readFileSync(path.join(ROOT, 'test/differential/corpus/incident-branch.bpmn'), 'utf8');
    expect((await official.put('/api/processes/town-a/incident-branch', { xml, baseVersion: 0 })).status).toBe(201);
    const started = await staff.post('/api/instances', { jurisdiction: 'town-a', processKey: 'incident-branch', variables: { caseId: 'api-1' } });
    const id = started.body.id as string;
    expect(started.body.status).toBe('incident');
    const route = started.body.active.find((a: any) => a.elementId === 'route');
    expect(route).toMatchObject({ name: '金额是否超过 10', incident: { ref: expect.any(String), message: expect.stringMatching(/^无法判断走向：/) } });
    expect(started.body.history).toContainEqual(expect.objectContaining({ type: 'Incident', elementId: 'route', name: '金额是否超过 10' }));

    expect((await staff.post('/api/messages', { name: 'answer', correlationKey: 'api-1', variables: { reply: '同意' } })).status).toBe(200);
    // The timer (2 s) fires while the incident stands.
    await waitFor(async () => (await openTasks(staff, id)).length === 3, 10_000, 'b, reply and late open');
    for (const t of await openTasks(staff, id)) expect((await staff.post(`/api/tasks/${t.id}/complete`, { data: {} })).status).toBe(200);
    const waiting = (await official.get(`/api/instances/${id}`)).body;
    expect(waiting).toMatchObject({ status: 'incident', active: [{ elementId: 'route', incident: route.incident }], variables: { reply: '同意' } });

    const retried = await official.post(`/api/instances/${id}/retry`, { ref: route.incident.ref, variables: { amount: 20 } });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ status: 'active', active: [{ elementId: 'a' }], incident: null });
    const [a] = await openTasks(staff, id);
    expect((await staff.post(`/api/tasks/${a.id}/complete`, { data: {} })).status).toBe(200);
    expect((await official.get(`/api/instances/${id}`)).body.status).toBe('completed');
  });

  it('turns a gateway with no matching flow into an incident, retried after the variables are fixed', async () => {
    const inst = await startReview({ caseNo: 'C-inc' });
    const [task] = await openTasks(staff, inst.id);
    const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...validData, kind: 'c' } });
    expect(res.status).toBe(200);
    const broken = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(broken.status).toBe('incident');
    expect(broken.incident.elementId).toBe('route');
    expect((await staff.post(`/api/instances/${inst.id}/retry`, { variables: { kind: 'a' } })).status).toBe(403);
    const retried = await official.post(`/api/instances/${inst.id}/retry`, { variables: { kind: 'a' } });
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('completed');
    expect(retried.body.history.map((h: any) => h.elementId)).toContain('end-a');
  });
});
