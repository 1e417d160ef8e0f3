// Statistics for a quarter (API v1.1 GET /api/stats) over a seeded set of 三事 cases, including a
// sub-jurisdiction whose short reply deadline makes one case overdue; and the quarterly review form
// that asks to be prefilled from these figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { completeNext, openTask, startInstance } from '../support/walk.js';

let server: Server;
let staff: Client;
const local = new Date(Date.now() + 8 * 3600_000);
const quarter = `${local.getUTCFullYear()}Q${Math.floor(local.getUTCMonth() / 3) + 1}`;

const intake = (matter: string, category: string, extra: Record<string, unknown> = {}) => ({
  date: '2026-11-01', matter, category, department: '村委会', reporter: '居民', contact: '13800000000', repeated: false, ...extra,
});

async function register(jurisdiction: string, matter: string, category: string, extra?: Record<string, unknown>) {
  const inst = await startInstance(staff, jurisdiction, 'triage');
  await completeNext(staff, inst.id, 'register', intake(matter, category, extra));
  return inst;
}

beforeAll(async () => {
  server = await startServer({ contentDir: ROOT });
  const admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
  const child = await admin.post('/api/rulesets', { jurisdiction: { id: 'tt-east', name: '东村', parent: 'township-triage' }, parameters: { departmentReplyDeadline: 'PT1S' } });
  expect(child.status, JSON.stringify(child.body)).toBe(201);
  staff = await Client.signIn(server.url, 'township-triage.staff');

  const fire = await register('tt-east', '消防通道被占用', '治安与消防');
  await completeNext(staff, fire.id, 'classify', { matterClass: '大事', basis: '法律法规' });
  await completeNext(staff, fire.id, 'dispatch', { office: '综治办', via: '群工系统', dispatchDate: '2026-11-02' });
  const dance = await register('township-triage', '广场舞噪音', '文体活动');
  await completeNext(staff, dance.id, 'classify', { matterClass: '小事', basis: '村规民约（居民公约）' });
  await register('township-triage', '垃圾清运不及时', '环境管理', { repeated: true, repeatOf: 'SS-2026-017' });
  const dropped = await register('township-triage', '重复登记的事项', '便民服务');
  const official = await Client.signIn(server.url, 'township-triage.official');
  expect((await official.post(`/api/instances/${dropped.id}/cancel`)).status).toBe(200);
  await waitFor(async () => Date.parse((await openTask(staff, fire.id, 'department-reply')).due) < Date.now(), 5000, 'the reply to fall overdue');
});
afterAll(async () => {
  await server?.stop();
});

describe('GET /api/stats', () => {
  it('counts the quarter’s cases by process, class, category and status, with overdue and days to close', async () => {
    const res = await staff.get(`/api/stats?jurisdiction=township-triage&period=${quarter}`);
    expect(res.status).toBe(200);
    const s = res.body;
    expect(s).toMatchObject({ jurisdiction: 'township-triage', period: quarter, total: 4, open: 2, closed: 1, overdue: 1 });
    expect(s.avgDaysToClose).toBeGreaterThanOrEqual(0);
    expect(s.avgDaysToClose).toBeLessThan(0.1);
    expect(s.byProcess).toEqual([{ key: 'triage', label: '三事分流', count: 4 }]);
    expect(s.byStatus).toEqual([
      { key: 'active', label: '进行中', count: 2 },
      { key: 'cancelled', label: '已取消', count: 1 },
      { key: 'completed', label: '已办结', count: 1 },
    ]);
    expect(s.byCategory.map((c: any) => [c.key, c.count]).sort()).toEqual([['便民服务', 1], ['文体活动', 1], ['治安与消防', 1], ['环境管理', 1]]);
    // The merged report ended before classification: it has no class.
    expect(s.byClass).toEqual([
      { key: '小事', label: '小事', count: 2 },
      { key: '大事', label: '大事', count: 1 },
    ]);
  });

  it('counts only the asked jurisdiction and below, and only the period', async () => {
    const east = (await staff.get(`/api/stats?jurisdiction=tt-east&period=${quarter}`)).body;
    expect(east).toMatchObject({ total: 1, overdue: 1, byClass: [{ key: '大事', label: '大事', count: 1 }] });
    expect((await staff.get('/api/stats?jurisdiction=township-triage&period=2020Q1')).body).toMatchObject({ total: 0, open: 0, avgDaysToClose: null, byProcess: [] });
    const bad = await staff.get('/api/stats?jurisdiction=township-triage&period=Q4');
    expect(bad.status).toBe(400);
    expect((await (await Client.signIn(server.url, 'anhui.staff')).get('/api/stats?jurisdiction=township-triage')).status).toBe(403);
  });

  it('hands the quarterly review form its prefill rule (rule-set data): the open 三事 of the quarter, not the review itself', async () => {
    const review = await startInstance(staff, 'township-triage', 'ledger-review');
    const task = (await staff.get(`/api/tasks/${(await openTask(staff, review.id, 'review')).id}`)).body;
    expect(task.form.prefill).toEqual({ stats: { processKey: 'triage', fields: { openItems: 'open' } } });
    const figures = (await staff.get(`/api/stats?jurisdiction=${task.jurisdiction}&period=${quarter}&processKey=triage`)).body;
    expect(figures[task.form.prefill.stats.fields.openItems]).toBe(2);
    expect((await staff.get(`/api/stats?jurisdiction=${task.jurisdiction}&period=${quarter}`)).body.open).toBe(3);
  });
});
