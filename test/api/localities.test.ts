// The shipped local rule sets through the HTTP API: Anhui (inherits P1, adds its 五议 focus and the
// quarterly council), Wushen Banner (P2: vocabulary, convenor, written notice, 10-day reply timer,
// here also through an imported child bundle), and the township 三事分流 triage (P3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { completeNext, instance, openTask, startInstance } from '../support/walk.js';
import { wushenReply, wushenToPublication } from '../support/wushen.js';

let server: Server;
let staff: Client;
let admin: Client;

beforeAll(async () => {
  server = await startServer({ contentDir: ROOT });
  staff = await Client.signIn(server.url, 'national.staff');
  admin = await Client.signIn(server.url, 'admin', ADMIN_PASSWORD);
});
afterAll(async () => {
  await server?.stop();
});

const months = (iso: string) => (Date.parse(iso) - Date.now()) / (30.4 * 86_400_000);

describe('anhui 安徽省', () => {
  it('inherits P1 and overrides the admissibility form with the seed-000 focus list', async () => {
    const j = (await staff.get('/api/jurisdictions/anhui')).body;
    expect(j.processes.map((p: any) => [p.key, p.definedAt]).sort()).toEqual([['consultation', 'national'], ['council-meeting', 'anhui']]);
    expect(j.forms.find((f: any) => f.formKey === 'admissibility').definedAt).toBe('anhui');
    expect(j.forms.find((f: any) => f.formKey === 'meeting-record').definedAt).toBe('national');
    const inst = await startInstance(staff, 'anhui', 'consultation');
    await completeNext(staff, inst.id, 'collect', { date: '2026-11-01', description: '集体资产出租收益分配', reporter: '村民甲', channel: '民情家访' });
    const task = await openTask(staff, inst.id, 'screen');
    const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: { admissible: true, category: '公共事务、公共环境、公益事业' } });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path)).toEqual(['/focus']);
    await completeNext(staff, inst.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业', focus: '村级集体资源资金资产的使用和分配' });
    expect((await instance(staff, inst.id)).variables.admissible).toBe(true);
  });

  it('holds quarterly council meetings: waits one interval, reviews the year in Q4, and stops', async () => {
    const inst = await startInstance(staff, 'anhui', 'council-meeting');
    const session = (quarter: number, continueSchedule: boolean) => ({
      date: '2026-03-30', quarter, host: '议事主任', place: '社区议事厅', expected: 9, present: 8, topics: ['物业服务质量'], continueSchedule,
    });
    await completeNext(staff, inst.id, 'session', session(1, true));
    const waiting = await instance(staff, inst.id);
    expect(waiting.active.map((a: any) => a.elementId)).toEqual(['wait-next']);
    expect(months(waiting.active[0].dueAt)).toBeGreaterThan(2.8);
    expect(months(waiting.active[0].dueAt)).toBeLessThan(3.2);
    const other = await startInstance(staff, 'anhui', 'council-meeting');
    const bad = await staff.post(`/api/tasks/${(await openTask(staff, other.id, 'session')).id}/complete`, { data: { ...session(4, false), present: 10 } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(['/present']);
    await completeNext(staff, other.id, 'session', session(4, false));
    await completeNext(staff, other.id, 'annual-review', { date: '2026-12-28', reportHeard: true, rating: '较好', nextYearOpinions: '加强物业服务监督' });
    const done = await instance(staff, other.id);
    expect(done.status).toBe('completed');
    expect(done.history.map((h: any) => h.elementId)).toEqual(expect.arrayContaining(['annual-review', 'end']));
  });
});

describe('wushen-banner 乌审旗 (P2)', () => {
  const toPublication = (jurisdiction: string, implementerKind: string) => wushenToPublication(staff, jurisdiction, implementerKind);
  const reply = wushenReply;

  it('speaks 嘎查村 and 苏木镇 where its parent says 村 and 乡镇, in the same inherited task', async () => {
    const j = (await staff.get('/api/jurisdictions/wushen-banner')).body;
    expect(j.vocabulary['乡镇']).toBe('苏木镇');
    const inst = await toPublication('wushen-banner', '社区（村）落实');
    const task = (await staff.get(`/api/tasks/${(await openTask(staff, inst.id, 'implement-community')).id}`)).body;
    expect(task.name).toBe('社区（嘎查村）组织实施并按期公开进度');
  });

  it('gets the government written reply within 10 days: no alert, not overdue', async () => {
    const inst = await toPublication('wushen-banner', '上级部门落实');
    const task = await openTask(staff, inst.id, 'report-higher');
    expect((Date.parse(task.due) - Date.now()) / 86_400_000).toBeCloseTo(10, 0);
    const waiting = await instance(staff, inst.id);
    expect(waiting.active.map((a: any) => a.elementId).sort()).toEqual(['reply-overdue', 'report-higher']);
    await completeNext(staff, inst.id, 'report-higher', reply);
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    expect(done.variables.replyOverdue).toBeUndefined();
    expect(done.variables.notifications).toBeUndefined();
  });

  it('has a functional department implement and report back to the stakeholders', async () => {
    const inst = await toPublication('wushen-banner', '政府职能部门落实');
    await completeNext(staff, inst.id, 'implement-department', { progress: '林草局已维修并向牧户反馈', completed: true, disclosed: true });
    expect((await instance(staff, inst.id)).status).toBe('completed');
  });

  it('imports a gacha bundle overriding one parameter and one form; its reply lapses, alerts supervision and flags the case', async () => {
    const parent = (await admin.get('/api/rulesets/wushen-banner')).body;
    const form = structuredClone(parent.forms['government-reply']);
    form.schema.title = '苏木镇政府书面反馈（测试嘎查）';
    form.schema.required.push('signedBy');
    form.schema.properties.signedBy = { type: 'string', title: '签发人', minLength: 1 };
    const bundle = { jurisdiction: { id: 'test-gacha', name: '测试嘎查', parent: 'wushen-banner' }, parameters: { replyDeadline: 'PT1S' }, forms: { 'government-reply': form } };
    const imported = await admin.post('/api/rulesets', bundle);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const j = (await staff.get('/api/jurisdictions/test-gacha')).body;
    expect(j.parameters).toMatchObject({ replyDeadline: 'PT1S', passRatio: 0.5 });
    expect(j.sources.parameters).toMatchObject({ replyDeadline: 'test-gacha', passRatio: 'national' });
    expect(j.sources.vocabulary['乡镇']).toBe('wushen-banner');
    expect(j.processes.find((p: any) => p.key === 'consultation').definedAt).toBe('wushen-banner');
    expect((await admin.get('/api/rulesets/test-gacha')).body).toEqual({ jurisdiction: bundle.jurisdiction, parameters: bundle.parameters, vocabulary: {}, forms: bundle.forms, processes: [] });

    const inst = await toPublication('test-gacha', '上级部门落实');
    const lapsed = await waitFor(async () => {
      const v = await instance(staff, inst.id);
      return v.variables.replyOverdue === true && v;
    }, 10_000, 'the reply timer to lapse');
    expect(lapsed.variables.notifications).toEqual([expect.objectContaining({ to: 'supervision', message: '政府未在期限内书面反馈：草场围栏维修' })]);
    expect(lapsed.active.map((a: any) => a.elementId)).toEqual(['report-higher']);
    const task = (await staff.get(`/api/tasks/${(await openTask(staff, inst.id, 'report-higher')).id}`)).body;
    expect(task.form.schema.title).toBe('苏木镇政府书面反馈（测试嘎查）');
    const unsigned = await staff.post(`/api/tasks/${task.id}/complete`, { data: reply });
    expect(unsigned.status).toBe(422);
    await completeNext(staff, inst.id, 'report-higher', { ...reply, signedBy: '苏木镇镇长' });
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    expect(done.history.map((h: any) => h.elementId)).toEqual(expect.arrayContaining(['reply-overdue', 'flag-overdue', 'alert-reply-overdue', 'end-reply-alerted', 'end-done']));
  });
});

describe('township-triage 三事分流 (P3)', () => {
  let staff: Client;
  beforeAll(async () => {
    staff = await Client.signIn(server.url, 'township-triage.staff');
  });
  const intake = (category: string, extra: Record<string, unknown> = {}) => ({
    date: '2026-11-01', matter: `关于${category}的诉求`, category, department: '村委会', reporter: '居民丙', contact: '13800000000', repeated: false, ...extra,
  });
  async function registered(category: string) {
    const inst = await startInstance(staff, 'township-triage', 'triage');
    await completeNext(staff, inst.id, 'register', intake(category));
    return inst;
  }

  it('merges a repeated report into the item already registered', async () => {
    const inst = await startInstance(staff, 'township-triage', 'triage');
    const task = await openTask(staff, inst.id, 'register');
    const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: intake('环境管理', { repeated: true }) });
    expect(res.body.errors.map((e: any) => e.path)).toEqual(['/repeatOf']);
    await completeNext(staff, inst.id, 'register', intake('环境管理', { repeated: true, repeatOf: 'SS-2026-017' }));
    const done = await instance(staff, inst.id);
    expect(done).toMatchObject({ status: 'completed', variables: { mergedInto: 'SS-2026-017' } });
    expect(done.history.map((h: any) => h.elementId)).toContain('end-merged');
  });

  it('suggests 大事 from the parameter table and routes it to the township offices, who reply', async () => {
    const inst = await registered('治安与消防');
    expect((await instance(staff, inst.id)).variables.suggestedClass).toBe('大事');
    await completeNext(staff, inst.id, 'classify', { matterClass: '大事', basis: '法律法规' });
    await completeNext(staff, inst.id, 'dispatch', { office: '综治办', via: '群工系统', dispatchDate: '2026-11-02' });
    const reply = await openTask(staff, inst.id, 'department-reply');
    expect(reply.candidateGroups).toEqual(['department']);
    expect((Date.parse(reply.due) - Date.now()) / 86_400_000).toBeCloseTo(15, 0);
    await completeNext(staff, inst.id, 'department-reply', { replyDate: '2026-11-10', result: '已增设消防栓两处', resolved: true });
    expect((await instance(staff, inst.id)).history.map((h: any) => h.elementId)).toContain('end-big');
  });

  it('solves a 小事 by the six 一事一议 steps, checking the funding sum', async () => {
    const inst = await registered('文体活动');
    expect((await instance(staff, inst.id)).variables.suggestedClass).toBe('小事');
    await completeNext(staff, inst.id, 'classify', { matterClass: '小事', basis: '村规民约（居民公约）' });
    await completeNext(staff, inst.id, 'plan', { planType: '活动类', plan: '举办广场舞比赛', alternatives: ['春节期间', '国庆期间'] });
    await completeNext(staff, inst.id, 'compact', { investigated: true, discussed: true, assignments: '文体队负责组织', signatures: 46, evaluated: true, archiveNo: 'YS-2026-05' });
    const funding = await openTask(staff, inst.id, 'funding');
    const wrong = await staff.post(`/api/tasks/${funding.id}/complete`, { data: { total: 5000, government: 2000, residents: 1000, units: 1000, selfIncome: 500 } });
    expect(wrong.body.errors).toEqual([{ path: '/total', message: '各渠道筹资之和应等于所需资金合计' }]);
    await completeNext(staff, inst.id, 'funding', { total: 5000, government: 2000, residents: 1500, units: 1000, selfIncome: 500 });
    await completeNext(staff, inst.id, 'carry-out', { progress: '比赛已举办', completed: true, disclosed: true });
    await completeNext(staff, inst.id, 'organise', { organisationSet: true, organisationName: '广场舞协会', organisationType: '社区社会组织' });
    await completeNext(staff, inst.id, 'incentive', { measures: ['表彰先进', '积分奖励'] });
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    expect(done.variables).toMatchObject({ total: 5000, organisationName: '广场舞协会' });
  });

  it('leaves a 私事 to the resident with the community’s help; an unlisted category gets no suggestion', async () => {
    const inst = await registered('赡养老人');
    expect((await instance(staff, inst.id)).variables.suggestedClass).toBe('私事');
    await completeNext(staff, inst.id, 'classify', { matterClass: '私事', basis: '公序良俗' });
    await completeNext(staff, inst.id, 'help', { help: ['便民服务手册', '法律咨询'], closed: true });
    expect((await instance(staff, inst.id)).history.map((h: any) => h.elementId)).toContain('end-private');
    const other = await registered('其他');
    expect((await instance(staff, other.id)).variables.suggestedClass).toBeNull();
  });

  it('reviews the ledger every quarter until stopped', async () => {
    const inst = await startInstance(staff, 'township-triage', 'ledger-review');
    await completeNext(staff, inst.id, 'review', { date: '2026-12-30', openItems: 12, adjusted: 2, continueReview: true });
    const waiting = await instance(staff, inst.id);
    expect(months(waiting.active[0].dueAt)).toBeGreaterThan(2.8);
    const other = await startInstance(staff, 'township-triage', 'ledger-review');
    await completeNext(staff, other.id, 'review', { date: '2026-12-30', openItems: 0, adjusted: 0, continueReview: false });
    expect((await instance(staff, other.id)).status).toBe('completed');
  });
});
