// 转办, 委派, 退回, 撤回, 抄送, 催办 and 审批意见 through real HTTP on the shipped national P1
// (embedded engine): each operation, its refusals, its races, and the case's history. Run by
// operations.test.ts (SQLite) and operations.mongodb.test.ts (the MongoDB store).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { P1_PASSED } from '../support/p1.js';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { instance, openTask, startInstance } from '../support/walk.js';

let server: Server;
let staff: Client; // national.staff: staff and every functional group of national
let clerk: Client; // a colleague in the same groups
let outsider: Client; // staff of a sibling jurisdiction: no role in national
let official: Client;

async function createUser(admin: Client, username: string, memberships: unknown) {
  const res = await admin.post('/api/users', { username, displayName: username, password: 'pass-word-2026', memberships });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return Client.signIn(server.url, username, 'pass-word-2026');
}

const history = async (c: Client, id: string) => (await instance(c, id)).history as any[];
const ofType = (h: any[], type: string) => h.filter((e) => e.type === type);

async function collected() {
  const inst = await startInstance(staff, 'national', 'consultation');
  const collect = await openTask(staff, inst.id, 'collect');
  expect((await staff.post(`/api/tasks/${collect.id}/complete`, { data: P1_PASSED.collect, comment: '材料齐全' })).status).toBe(200);
  return { inst, screen: await openTask(staff, inst.id, 'screen') };
}

export function operationsSuite(env: () => Record<string, string>) {
  beforeAll(async () => {
    server = await startServer({ contentDir: ROOT, env: env() });
    const admin = new Client(server.url);
    await admin.post('/api/session', { username: 'admin', password: ADMIN_PASSWORD });
    staff = await Client.signIn(server.url, 'national.staff');
    official = await Client.signIn(server.url, 'national.official');
    outsider = await Client.signIn(server.url, 'wushen-banner.staff');
    clerk = await createUser(admin, 'clerk2', [{ jurisdiction: 'national', roles: ['staff', 'two-committees'] }]);
    await createUser(admin, 'plain', [{ jurisdiction: 'national', roles: ['official'] }]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  describe('转办 transfer', () => {
    it('hands the task to a colleague allowed by its groups, with the comment in the history', async () => {
      const inst = await startInstance(staff, 'national', 'consultation');
      const task = await openTask(staff, inst.id, 'collect');
      const res = await staff.post(`/api/tasks/${task.id}/transfer`, { to: 'clerk2', comment: '请王会计办理' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.assignee).toBe('clerk2');
      const [entry] = ofType(await history(staff, inst.id), 'Transfer');
      expect(entry).toMatchObject({ by: 'national.staff', elementId: 'collect', data: { to: 'clerk2', comment: '请王会计办理', notify: { users: ['clerk2'] } } });
      // The colleague hears of it in the inbox, with the reason.
      const inbox = await waitFor(async () => (await clerk.get('/api/notifications?unread=true')).body.items.find((n: any) => n.taskId === task.id), 5000, 'the transfer notice');
      expect(inbox).toMatchObject({ kind: 'notice', body: '请王会计办理', instanceId: inst.id });
      expect(inbox.title).toMatch(/^转办给您：/);
      // The former holder may not act any more; the new one may.
      expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect })).status).toBe(409);
      expect((await clerk.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect })).status).toBe(200);
    });

    it('refuses a colleague outside the task’s groups (422), an outsider (403), and a missing target (400)', async () => {
      const { screen } = await collected();
      const notAllowed = await staff.post(`/api/tasks/${screen.id}/transfer`, { to: 'plain', comment: '' });
      expect(notAllowed.status).toBe(422);
      expect(notAllowed.body.errors[0].path).toBe('/to');
      expect((await outsider.post(`/api/tasks/${screen.id}/transfer`, { to: 'clerk2' })).status).toBe(403);
      expect((await staff.post(`/api/tasks/${screen.id}/transfer`, {})).status).toBe(400);
      expect((await staff.get(`/api/tasks/${screen.id}`)).body.assignee).toBeNull();
    });

    it('a transfer racing a completion: exactly one wins, the other is 409', async () => {
      for (let round = 0; round < 3; round++) {
        const inst = await startInstance(staff, 'national', 'consultation');
        const task = await openTask(staff, inst.id, 'collect');
        const results = await Promise.all([
          staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect }),
          staff.post(`/api/tasks/${task.id}/transfer`, { to: 'clerk2', comment: '转' }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
        const after = (await staff.get(`/api/tasks/${task.id}`)).body;
        if (results[0]!.status === 200) expect(after).toMatchObject({ status: 'completed', assignee: null });
        else expect(after).toMatchObject({ status: 'open', assignee: 'clerk2' });
      }
    });
  });

  describe('委派 delegate and 交回 resolve', () => {
    it('the delegate completing while the delegation is written never completes the task', async () => {
      for (let round = 0; round < 3; round++) {
        const inst = await startInstance(staff, 'national', 'consultation');
        const task = await openTask(staff, inst.id, 'collect');
        await staff.post(`/api/tasks/${task.id}/claim`);
        const tries = Array.from({ length: 6 }, (_, n) => new Promise((r) => setTimeout(r, n * 15)).then(() => clerk.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect })));
        const [delegated, ...completions] = await Promise.all([staff.post(`/api/tasks/${task.id}/delegate`, { to: 'clerk2' }), ...tries]);
        expect(delegated.status, JSON.stringify(delegated.body)).toBe(200);
        expect(completions.map((r) => r.status).every((st) => st === 409)).toBe(true);
        expect((await staff.get(`/api/tasks/${task.id}`)).body).toMatchObject({ status: 'open', assignee: 'clerk2' });
      }
    });

    it('the delegate hands the task back with a draft; only the owner completes it', async () => {
      const inst = await startInstance(staff, 'national', 'consultation');
      const task = await openTask(staff, inst.id, 'collect');
      await staff.post(`/api/tasks/${task.id}/claim`);
      expect((await staff.post(`/api/tasks/${task.id}/delegate`, { to: 'clerk2', comment: '帮忙核实' })).body.assignee).toBe('clerk2');
      expect((await clerk.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect })).status).toBe(409);
      expect((await clerk.post(`/api/tasks/${task.id}/transfer`, { to: 'national.staff' })).status).toBe(409);
      expect((await staff.post(`/api/tasks/${task.id}/resolve`, {})).status).toBe(403);
      const back = await clerk.post(`/api/tasks/${task.id}/resolve`, { data: { reporter: '张三' }, comment: '已核实' });
      expect(back.status, JSON.stringify(back.body)).toBe(200);
      expect(back.body).toMatchObject({ assignee: 'national.staff', data: { reporter: '张三' } });
      expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect })).status).toBe(200);
      const h = await history(staff, inst.id);
      expect(ofType(h, 'Delegate')[0].data).toMatchObject({ owner: 'national.staff', to: 'clerk2', comment: '帮忙核实' });
      expect(ofType(h, 'Resolve')[0]).toMatchObject({ by: 'clerk2', data: { owner: 'national.staff', comment: '已核实' } });
    });
  });

  describe('加签 sign and 减签 unsign', () => {
    async function claimed() {
      const inst = await startInstance(staff, 'national', 'consultation');
      const task = await openTask(staff, inst.id, 'collect');
      expect((await staff.post(`/api/tasks/${task.id}/claim`)).status).toBe(200);
      return { inst, task };
    }
    const taskOf = async (id: string) => (await staff.get(`/api/tasks/${id}`)).body;

    it('before: the added signer approves first, then the task returns to its holder', async () => {
      const { inst, task } = await claimed();
      const res = await staff.post(`/api/tasks/${task.id}/sign`, { users: ['national.official'], mode: 'before', comment: '请书记先把关' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ owner: 'national.staff', holder: 'national.official', pending: ['national.official'], names: { 'national.official': expect.any(String) } });
      expect(res.body.names['national.official']).not.toBe('national.official');
      expect((await taskOf(task.id)).assignee).toBe('national.official');
      const inbox = await waitFor(async () => (await official.get('/api/notifications?unread=true')).body.items.find((n: any) => n.taskId === task.id), 5000, 'the sign notice');
      expect(inbox.title).toMatch(/^加签请您审批：/);
      expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect })).status).toBe(409);
      const approved = await official.post(`/api/tasks/${task.id}/complete`, { data: {}, comment: '同意受理' });
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      expect(approved.body).toMatchObject({ status: 'open', assignee: 'national.staff' });
      expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect })).status).toBe(200);
      await openTask(staff, inst.id, 'screen');
      const h = await history(staff, inst.id);
      expect(ofType(h, 'Sign')[0]).toMatchObject({ by: 'national.staff', elementId: 'collect', data: { users: ['national.official'], mode: 'before', comment: '请书记先把关' } });
      expect(ofType(h, 'Countersign')[0]).toMatchObject({ by: 'national.official', data: { comment: '同意受理' } });
    });

    it('after: the holder approves with the form, the added signer last; 减签 drops one who has not acted', async () => {
      const { inst, task } = await claimed();
      expect((await staff.post(`/api/tasks/${task.id}/sign`, { users: ['national.official', 'plain'], mode: 'after' })).status).toBe(200);
      expect((await taskOf(task.id)).assignee).toBe('national.staff');
      expect((await clerk.del(`/api/tasks/${task.id}/sign/plain`)).status).toBe(403);
      expect((await staff.del(`/api/tasks/${task.id}/sign/clerk2`)).status).toBe(404);
      const removed = await staff.del(`/api/tasks/${task.id}/sign/plain`);
      expect(removed.status, JSON.stringify(removed.body)).toBe(200);
      expect(removed.body.pending).toEqual(['national.official']);
      expect((await official.post(`/api/tasks/${task.id}/complete`, { data: {} })).status).toBe(409); // not yet: the holder first
      expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: { reporter: '' } })).status).toBe(422);
      const mine = await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect, comment: '材料齐全' });
      expect(mine.body).toMatchObject({ status: 'open', assignee: 'national.official', data: P1_PASSED.collect });
      expect((await official.post(`/api/tasks/${task.id}/complete`, { data: {}, comment: '同意' })).body.status).toBe('completed');
      await openTask(staff, inst.id, 'screen');
      expect((await instance(staff, inst.id)).variables).toMatchObject({ reporter: '张三' });
      const h = await history(staff, inst.id);
      expect(ofType(h, 'Unsign')[0]).toMatchObject({ by: 'national.staff', data: { user: 'plain' } });
      expect(ofType(h, 'Countersign').map((e) => e.by)).toEqual(['national.staff', 'national.official']);
    });

    it('parallel: all approve; 减签 of one who acted is 409, of the last one waited for completes the task', async () => {
      const { inst, task } = await claimed();
      expect((await staff.post(`/api/tasks/${task.id}/sign`, { users: ['national.official', 'clerk2'], mode: 'parallel' })).status).toBe(200);
      expect((await official.post(`/api/tasks/${task.id}/complete`, { data: {}, comment: '同意' })).body).toMatchObject({ status: 'open', assignee: 'national.staff' });
      expect((await staff.del(`/api/tasks/${task.id}/sign/national.official`)).status).toBe(409);
      expect((await staff.post(`/api/tasks/${task.id}/transfer`, { to: 'clerk2' })).status).toBe(409);
      expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect })).body.status).toBe('open');
      expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect })).status).toBe(409);
      const last = await staff.del(`/api/tasks/${task.id}/sign/clerk2`);
      expect(last.status, JSON.stringify(last.body)).toBe(200);
      expect(last.body).toMatchObject({ status: 'completed', completedBy: 'national.staff' });
      await openTask(staff, inst.id, 'screen');
    });

    it('two parallel signers approving at once: each approval counts once, the task completes once', async () => {
      for (let round = 0; round < 3; round++) {
        const { inst, task } = await claimed();
        expect((await staff.post(`/api/tasks/${task.id}/sign`, { users: ['national.official', 'clerk2'], mode: 'parallel' })).status).toBe(200);
        expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect })).status).toBe(200);
        const approve = (c: Client) => c.post(`/api/tasks/${task.id}/complete`, { data: {}, comment: '同意' });
        const results = await Promise.all([approve(official), approve(clerk)]);
        expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
        // One that lost to the other's write approves again.
        for (const [i, r] of results.entries()) if (r.status === 409) expect((await approve([official, clerk][i]!)).status).toBe(200);
        expect((await taskOf(task.id)).status).toBe('completed');
        const h = await history(staff, inst.id);
        expect(ofType(h, 'Countersign').map((e) => e.by).sort()).toEqual(['clerk2', 'national.official', 'national.staff']);
        expect(h.filter((e) => e.elementId === 'collect' && e.type === 'UserTask')).toHaveLength(1);
      }
    });

    const todo = async (c: Client) => (await c.get('/api/tasks?status=open&assignee=me&limit=200')).body.items.map((t: any) => t.id) as string[];

    it('parallel signers have the task in their 待办 until they approved or were taken off', async () => {
      const { task } = await claimed();
      expect((await staff.post(`/api/tasks/${task.id}/sign`, { users: ['national.official', 'clerk2'], mode: 'parallel' })).status).toBe(200);
      expect(await todo(official)).toContain(task.id);
      expect(await todo(clerk)).toContain(task.id);
      expect(await todo(staff)).toContain(task.id);
      expect((await official.post(`/api/tasks/${task.id}/complete`, { data: {}, comment: '同意' })).status).toBe(200);
      expect(await todo(official)).not.toContain(task.id);
      expect((await staff.del(`/api/tasks/${task.id}/sign/clerk2`)).status).toBe(200);
      expect(await todo(clerk)).not.toContain(task.id);
      expect(await todo(staff)).toContain(task.id);
    });

    it('不同意 by an added signer needs a reason, ends the chain and returns the decision to the holder', async () => {
      const { inst, task } = await claimed();
      expect((await staff.post(`/api/tasks/${task.id}/sign`, { users: ['national.official', 'clerk2'], mode: 'parallel' })).status).toBe(200);
      expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect, comment: '材料齐全' })).body.status).toBe('open');
      const noReason = await official.post(`/api/tasks/${task.id}/sign/refuse`, {});
      expect(noReason.status).toBe(422);
      expect(noReason.body.errors[0].path).toBe('/comment');
      expect((await staff.post(`/api/tasks/${task.id}/sign/refuse`, { comment: '不行' })).status).toBe(403); // the holder is no added signer
      expect((await outsider.post(`/api/tasks/${task.id}/sign/refuse`, { comment: '不行' })).status).toBe(403);
      const refused = await official.post(`/api/tasks/${task.id}/sign/refuse`, { comment: '证明材料不全，不同意' });
      expect(refused.status, JSON.stringify(refused.body)).toBe(200);
      expect(refused.body).toMatchObject({ holder: 'national.staff', pending: [], refusedBy: 'national.official', ownerDone: false, mayApprove: false });
      // The other signer need not act any more: off their 待办, their approval is no longer asked.
      expect(await todo(clerk)).not.toContain(task.id);
      expect((await clerk.post(`/api/tasks/${task.id}/sign/refuse`, { comment: '也不同意' })).status).toBe(403);
      expect((await taskOf(task.id))).toMatchObject({ status: 'open', assignee: 'national.staff', data: P1_PASSED.collect });
      const notice = await waitFor(async () => (await staff.get('/api/notifications?unread=true')).body.items.find((n: any) => n.taskId === task.id && /不同意/.test(n.title)), 5000, 'the refusal notice');
      expect(notice.title).toMatch(/^加签人不同意：/);
      // The holder decides again, with the form (the diagram routes on its decision).
      expect((await staff.post(`/api/tasks/${task.id}/complete`, { data: P1_PASSED.collect, comment: '按书记意见处理' })).body.status).toBe('completed');
      const h = await history(staff, inst.id);
      expect(ofType(h, 'SignRefuse')[0]).toMatchObject({ by: 'national.official', byName: expect.any(String), data: { user: 'national.official', removed: ['clerk2'], comment: '证明材料不全，不同意' } });
      expect(ofType(h, 'SignRefuse')[0].names.clerk2).toBe('clerk2');
      expect(ofType(h, 'Sign')[0].names['national.official']).not.toBe('national.official');
      const audit = await official.get(`/api/audit?instanceId=${inst.id}&limit=100`);
      expect(audit.body.items.map((a: any) => a.action), JSON.stringify(audit.body)).toContain('task.sign-refuse');
    });

    it('the person picker lists the jurisdiction’s people by display name, to its members only', async () => {
      const all = await staff.get('/api/users/people?jurisdiction=national');
      expect(all.status).toBe(200);
      expect(all.body.map((p: any) => p.username)).toEqual(expect.arrayContaining(['national.official', 'clerk2', 'plain']));
      expect(all.body.every((p: any) => Object.keys(p).sort().join() === 'displayName,username')).toBe(true);
      expect(all.body.map((p: any) => p.username)).not.toContain('wushen-banner.staff');
      const officials = await staff.get('/api/users/people?jurisdiction=national&group=official');
      expect(officials.body.map((p: any) => p.username)).toContain('plain');
      expect(officials.body.map((p: any) => p.username)).not.toContain('clerk2');
      const name = all.body.find((p: any) => p.username === 'national.official').displayName as string;
      expect((await staff.get(`/api/users/people?jurisdiction=national&q=${encodeURIComponent(name.slice(0, 2))}`)).body.map((p: any) => p.username)).toContain('national.official');
      // 抄送 reaches the jurisdictions under it too, when asked.
      expect((await staff.get('/api/users/people?jurisdiction=national&below=true')).body.map((p: any) => p.username)).toContain('wushen-banner.staff');
      expect((await outsider.get('/api/users/people?jurisdiction=national')).status).toBe(403);
      expect((await outsider.get('/api/users/people?jurisdiction=national&below=true')).status).toBe(403);
      // A banner's staff sees national's people (they may act there) but none of a sibling jurisdiction.
      const banner = (await outsider.get('/api/users/people?jurisdiction=wushen-banner&below=true')).body.map((p: any) => p.username);
      expect(banner).toContain('national.official');
      expect(banner).not.toContain('anhui.staff');
      expect(all.body.map((p: any) => p.username)).not.toContain('anhui.staff');
      expect((await staff.get('/api/users/people')).status).toBe(400);
    });

    it('refuses a signer outside the jurisdiction or unknown (422), a bad mode (400), and anyone but the holder (403)', async () => {
      const { task } = await claimed();
      const outside = await staff.post(`/api/tasks/${task.id}/sign`, { users: ['wushen-banner.staff'], mode: 'before' });
      expect(outside.status).toBe(422);
      expect(outside.body.errors[0].path).toBe('/users/0');
      expect((await staff.post(`/api/tasks/${task.id}/sign`, { users: ['clerk2', 'nobody-such'], mode: 'after' })).status).toBe(422);
      expect((await staff.post(`/api/tasks/${task.id}/sign`, { users: [], mode: 'after' })).status).toBe(422);
      expect((await staff.post(`/api/tasks/${task.id}/sign`, { users: ['clerk2'], mode: 'sideways' })).status).toBe(400);
      expect((await official.post(`/api/tasks/${task.id}/sign`, { users: ['clerk2'], mode: 'before' })).status).toBe(403);
      expect((await outsider.post(`/api/tasks/${task.id}/sign`, { users: ['clerk2'], mode: 'before' })).status).toBe(403);
      expect((await staff.get(`/api/tasks/${task.id}/sign`)).body).toBeNull();
      expect((await taskOf(task.id)).assignee).toBe('national.staff');
    });
  });

  describe('退回 return', () => {
    it('lists the earlier tasks and reopens one with its last submission; the current work is cancelled', async () => {
      const { inst, screen } = await collected();
      expect((await staff.get(`/api/tasks/${screen.id}/returnable`)).body).toEqual([{ elementId: 'collect', name: '收集问题并登记台账' }]);
      expect((await staff.post(`/api/tasks/${screen.id}/return`, { elementId: 'collect' })).status).toBe(422); // a reason is required
      expect((await staff.post(`/api/tasks/${screen.id}/return`, { elementId: 'draft', comment: '补材料' })).status).toBe(422);
      expect((await outsider.post(`/api/tasks/${screen.id}/return`, { elementId: 'collect', comment: '补材料' })).status).toBe(403);
      const res = await staff.post(`/api/tasks/${screen.id}/return`, { elementId: 'collect', comment: '缺少反映人电话，请补充' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.active.map((a: any) => a.elementId)).toEqual(['collect']);
      expect((await staff.get(`/api/tasks/${screen.id}`)).body.status).toBe('cancelled');
      const reopened = await openTask(staff, inst.id, 'collect');
      expect((await staff.get(`/api/tasks/${reopened.id}`)).body.data).toEqual(P1_PASSED.collect);
      const [entry] = ofType(res.body.history, 'Return');
      expect(entry).toMatchObject({ elementId: 'screen', by: 'national.staff', data: { to: 'collect', comment: '缺少反映人电话，请补充', notify: { users: ['national.staff'] } } });
      // The case goes on from the reopened task.
      expect((await staff.post(`/api/tasks/${reopened.id}/complete`, { data: P1_PASSED.collect })).status).toBe(200);
      await openTask(staff, inst.id, 'screen');
      expect((await staff.post(`/api/tasks/${screen.id}/return`, { elementId: 'collect', comment: '再退' })).status).toBe(409);
    });
  });

  describe('撤回 withdraw', () => {
    it('the starter withdraws while only they acted: the case ends cancelled with the reason', async () => {
      const { inst, screen } = await collected();
      expect((await clerk.post(`/api/instances/${inst.id}/withdraw`, { comment: '不是我的' })).status).toBe(403);
      expect((await official.post(`/api/instances/${inst.id}/withdraw`, { comment: '不是我的' })).status).toBe(403);
      expect((await staff.post(`/api/instances/${inst.id}/withdraw`, {})).status).toBe(422);
      const res = await staff.post(`/api/instances/${inst.id}/withdraw`, { comment: '登记有误，撤回重报' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe('cancelled');
      expect(ofType(res.body.history, 'Withdraw')[0]).toMatchObject({ by: 'national.staff', data: { comment: '登记有误，撤回重报' } });
      expect((await staff.get(`/api/tasks/${screen.id}`)).body.status).toBe('cancelled');
      expect((await staff.post(`/api/instances/${inst.id}/withdraw`, { comment: '再撤' })).status).toBe(409);
    });

    it('is refused (409) once someone else completed a task', async () => {
      const { inst, screen } = await collected();
      expect((await clerk.post(`/api/tasks/${screen.id}/complete`, { data: P1_PASSED.screen })).status).toBe(200);
      const res = await staff.post(`/api/instances/${inst.id}/withdraw`, { comment: '撤回' });
      expect(res.status).toBe(409);
      expect((await instance(staff, inst.id)).status).toBe('active');
    });
  });

  describe('抄送 copy', () => {
    it('lets a reader of another jurisdiction read the case, list it, but not act on it', async () => {
      const { inst, screen } = await collected();
      expect((await outsider.get(`/api/instances/${inst.id}`)).status).toBe(403);
      expect((await outsider.post(`/api/instances/${inst.id}/cc`, { users: ['wushen-banner.staff'] })).status).toBe(403);
      expect((await staff.post(`/api/instances/${inst.id}/cc`, { users: ['nobody-such'] })).status).toBe(422);
      expect((await staff.post(`/api/instances/${inst.id}/cc`, {})).status).toBe(422);
      const res = await staff.post(`/api/instances/${inst.id}/cc`, { users: ['wushen-banner.staff'], comment: '请旗里知悉' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(ofType(res.body.history, 'CarbonCopy')[0].data).toMatchObject({ users: ['wushen-banner.staff'], comment: '请旗里知悉' });
      expect((await outsider.get(`/api/instances/${inst.id}`)).status).toBe(200);
      const copied = (await outsider.get('/api/instances?copiedTo=me')).body.items.map((i: any) => i.id);
      expect(copied).toContain(inst.id);
      expect((await staff.get('/api/instances?copiedTo=me')).body.items.map((i: any) => i.id)).not.toContain(inst.id);
      expect((await outsider.post(`/api/tasks/${screen.id}/complete`, { data: P1_PASSED.screen })).status).toBe(403);
      expect((await outsider.post(`/api/tasks/${screen.id}/claim`)).status).toBe(403);
      expect((await outsider.post(`/api/instances/${inst.id}/comments`, { text: '意见' })).status).toBe(403);
    });

    it('a copy to a group reaches its members along the case’s jurisdiction chain', async () => {
      const { inst } = await collected();
      const res = await staff.post(`/api/instances/${inst.id}/cc`, { groups: ['official'] });
      expect(res.status).toBe(200);
      expect((await official.get('/api/instances?copiedTo=me')).body.items.map((i: any) => i.id)).toContain(inst.id);
      expect((await outsider.get(`/api/instances/${inst.id}`)).status).toBe(403);
    });
  });

  describe('催办 urge and 审批意见 comments', () => {
    it('urges the candidates once per interval (then 429)', async () => {
      const { inst, screen } = await collected();
      const res = await staff.post(`/api/tasks/${screen.id}/urge`, { comment: '请尽快审查' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ users: [], groups: ['two-committees'] });
      expect((await staff.post(`/api/tasks/${screen.id}/urge`)).status).toBe(429);
      expect((await outsider.post(`/api/tasks/${screen.id}/urge`)).status).toBe(403);
      expect(ofType(await history(staff, inst.id), 'Urge')).toHaveLength(1);
    });

    it('keeps comments and the opinion given on completion in the history; lists 我发起的 and 已办', async () => {
      const { inst } = await collected();
      const res = await clerk.post(`/api/instances/${inst.id}/comments`, { text: '建议先征求居民意见' });
      expect(res.status).toBe(201);
      expect((await clerk.post(`/api/instances/${inst.id}/comments`, { text: '' })).status).toBe(422);
      expect((await clerk.post(`/api/instances/${inst.id}/comments`, { text: 'x'.repeat(2001) })).status).toBe(422);
      const h = await history(staff, inst.id);
      expect(ofType(h, 'Comment')[0]).toMatchObject({ by: 'clerk2', data: { comment: '建议先征求居民意见' } });
      expect(ofType(h, 'Opinion')[0]).toMatchObject({ by: 'national.staff', elementId: 'collect', data: { comment: '材料齐全' } });
      expect((await staff.get('/api/instances?startedBy=me&limit=200')).body.items.map((i: any) => i.id)).toContain(inst.id);
      expect((await clerk.get('/api/instances?startedBy=me')).body.items).toEqual([]);
      const done = (await staff.get('/api/tasks?completedBy=me&limit=200')).body.items;
      expect(done.every((t: any) => t.completedBy === 'national.staff')).toBe(true);
      expect(done.map((t: any) => t.instanceId)).toContain(inst.id);
    });
  });
}
