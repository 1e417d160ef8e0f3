// The shipped local rule sets through the HTTP API: Anhui (inherits P1, adds its 五议 focus and the
// quarterly council), Wushen Banner (P2: vocabulary, convenor, written notice, 10-day reply timer,
// here also through an imported child bundle), and the township 三事分流 triage (P3). Each test names
// the seed and clause it checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, ROOT, startServer, waitFor, type Server } from '../support/server.js';
import { completeNext, instance, openTask, startInstance } from '../support/walk.js';
import { P1_PASSED } from '../support/p1.js';
import { wushenResearch, wushenToImplementation } from '../support/wushen.js';

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

describe('anhui 安徽省', () => {
  it('seed 000 layer: inherits P1, overrides the admissibility form with 五议三不议 and states the meeting rule itself', async () => {
    const j = (await staff.get('/api/jurisdictions/anhui')).body;
    expect(j.processes.map((p: any) => [p.key, p.definedAt]).sort()).toEqual([['consultation', 'national'], ['council-meeting', 'anhui'], ['grid-collection', 'anhui']]);
    expect(j.forms.find((f: any) => f.formKey === 'admissibility').definedAt).toBe('anhui');
    expect(j.forms.find((f: any) => f.formKey === 'meeting-record').definedAt).toBe('national');
    expect(j.sources.parameters).toMatchObject({ quorumRatio: 'anhui', passRatio: 'anhui', publicityPeriod: 'national' });
    const inst = await startInstance(staff, 'anhui', 'consultation');
    await completeNext(staff, inst.id, 'collect', { reportDate: '2026-11-01', description: '集体资产出租收益分配', reporter: '村民甲', channel: '民情家访' });
    const task = await openTask(staff, inst.id, 'screen');
    const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: { admissible: true, category: '公共事务、公共环境、公益事业' } });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path)).toEqual(['/focus']);
    await completeNext(staff, inst.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业', focus: '村级集体资源资金资产的使用和分配' });
    expect((await instance(staff, inst.id)).variables.admissible).toBe(true);
  });

  for (const reason of ['明显违反党的政策、国家法律法规', '上级明确要求、明文规定必须执行', '明显带有歧视性、不公平']) {
    it(`seed 000 协商内容 “三不议”: ${reason} — not consulted, the reporter answered in writing`, async () => {
      const inst = await startInstance(staff, 'anhui', 'consultation');
      await completeNext(staff, inst.id, 'collect', { reportDate: '2026-11-01', description: '要求停止执行上级规定', reporter: '村民乙', channel: '热线电话' });
      const task = await openTask(staff, inst.id, 'screen');
      const free = await staff.post(`/api/tasks/${task.id}/complete`, { data: { admissible: false, rejectReason: '其他理由', opinion: '不予商议' } });
      expect(free.body.errors.map((e: any) => e.path)).toEqual(['/rejectReason']);
      await completeNext(staff, inst.id, 'screen', { admissible: false, rejectReason: reason, opinion: '不予商议' });
      await completeNext(staff, inst.id, 'reply-rejection', { replyDate: '2026-11-02', replyText: `${reason}，不予商议。`, replyMethod: '书面送达' });
      const done = await instance(staff, inst.id);
      expect(done).toMatchObject({ status: 'completed', variables: { admissible: false, rejectReason: reason } });
      expect(done.history.map((h: any) => h.elementId)).toContain('end-rejected');
    });
  }

  it('seed 000 四是多方商议: Anhui chooses the form by the kind of topic (座谈式, 论证评估, 面对面)', async () => {
    const inst = await startInstance(staff, 'anhui', 'consultation');
    await completeNext(staff, inst.id, 'collect', { reportDate: '2026-11-01', description: '加装电梯', reporter: '居民丙', channel: '微信公众号' });
    await completeNext(staff, inst.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业', focus: '基础设施和环境建设' });
    await completeNext(staff, inst.id, 'draft', { ...P1_PASSED.draft, topic: '老旧小区加装电梯' });
    const task = (await staff.get(`/api/tasks/${(await openTask(staff, inst.id, 'research')).id}`)).body;
    expect(task.form.definedAt).toBe('anhui');
    const research = { ...P1_PASSED.research, topicKind: '专业性技术性事项' };
    for (const wrong of ['村（居）民议事会', '“串门式”谈心', '民主恳谈会']) {
      const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...research, consultationForm: wrong } });
      expect(res.body.errors.map((e: any) => e.path), wrong).toContain('/consultationForm');
    }
    await completeNext(staff, inst.id, 'research', { ...research, parties: ['村（居）民委员会', '专家学者及第三方机构'], consultationForm: '决策听证会' });
    expect((await instance(staff, inst.id)).variables).toMatchObject({ topicKind: '专业性技术性事项', consultationForm: '决策听证会' });
  });

  it('seed 000 社区协商议事委员会工作机制第6条 通过决议以举手表决的方式进行: an Anhui meeting recorded as 无记名投票 is refused, national allows it', async () => {
    const j = (await staff.get('/api/jurisdictions/anhui')).body;
    expect(j.parameters.requiredVoteMethod).toBe('举手表决');
    expect(j.sources.parameters.requiredVoteMethod).toBe('anhui');
    const inst = await startInstance(staff, 'anhui', 'consultation');
    await completeNext(staff, inst.id, 'collect', { reportDate: '2026-11-01', description: '小区停车难', reporter: '居民丁', channel: '民情家访' });
    await completeNext(staff, inst.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业', focus: '物业服务' });
    await completeNext(staff, inst.id, 'draft', P1_PASSED.draft);
    await completeNext(staff, inst.id, 'research', { ...P1_PASSED.research, topicKind: '面上公共事务', consultationForm: '民主恳谈会' });
    const meeting = await openTask(staff, inst.id, 'meeting');
    const secret = await staff.post(`/api/tasks/${meeting.id}/complete`, { data: { ...P1_PASSED.meeting, voteMethod: '无记名投票' } });
    expect(secret.status).toBe(422);
    expect(secret.body.errors).toEqual([{ path: '/voteMethod', message: '本辖区议事规则规定了表决方式，请按规定的方式表决并如实记录' }]);
    await completeNext(staff, inst.id, 'meeting', P1_PASSED.meeting);
    expect((await instance(staff, inst.id)).variables.passed).toBe(true);

    // The national rules name no method: a secret ballot is recorded as held.
    const national = await startInstance(staff, 'national', 'consultation');
    for (const step of ['collect', 'screen', 'draft', 'research']) await completeNext(staff, national.id, step, P1_PASSED[step]);
    await completeNext(staff, national.id, 'meeting', { ...P1_PASSED.meeting, voteMethod: '无记名投票' });
  });

  const session = (meetingDate: string, continueSchedule: boolean, extra: Record<string, unknown> = {}) => ({
    meetingDate, host: '议事主任', place: '社区议事厅', recorder: '记录员', expected: 9, present: 8,
    absentees: [{ name: '成员丙', reason: '住院', justified: true }], topics: ['物业服务质量'], continueSchedule, ...extra,
  });

  it('seed 000 工作制度一 季度例会: the quarter comes from the meeting date (a March meeting is Q1, no year-end review)', async () => {
    const inst = await startInstance(staff, 'anhui', 'council-meeting');
    await completeNext(staff, inst.id, 'session', session('2026-03-30', false));
    const done = await instance(staff, inst.id);
    expect(done).toMatchObject({ status: 'completed', variables: { quarter: 1 } });
    expect(done.history.map((h: any) => h.elementId)).not.toContain('annual-review');
  });

  it('seed 000 工作机制第4、5条: next meeting on the first day of the next quarter; the year-end quarter reviews the year', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const [y, m] = today.split('-').map(Number);
    const quarter = Math.ceil(m / 3);
    const next = quarter === 4 ? `${y + 1}-01-01` : `${y}-${String(quarter * 3 + 1).padStart(2, '0')}-01`;
    const inst = await startInstance(staff, 'anhui', 'council-meeting');
    await completeNext(staff, inst.id, 'session', session(today, true));
    if (quarter === 4) await completeNext(staff, inst.id, 'annual-review', { date: today, reportHeard: true, rating: '较好', nextYearOpinions: '加强物业服务监督' });
    const waiting = await instance(staff, inst.id);
    expect(waiting.variables.quarter).toBe(quarter);
    expect(waiting.active.map((a: any) => a.elementId)).toEqual(['wait-next']);
    expect(waiting.active[0].dueAt).toBe(new Date(`${next}T09:00:00+08:00`).toISOString());
  });

  it('seed 000 会议记录 应到人数过半数 / 工作机制第6条: a council session without quorum is held again; a resolution needs a majority of members', async () => {
    const inst = await startInstance(staff, 'anhui', 'council-meeting');
    const task = await openTask(staff, inst.id, 'session');
    const bad = await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...session('2026-03-30', false), present: 10 } });
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(['/present']);
    const unvoted = await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...session('2026-03-30', false), decisions: '更换保洁公司' } });
    expect(unvoted.body.errors.map((e: any) => e.path).sort()).toEqual(['/resolutionFor', '/voteMethod']);
    await completeNext(staff, inst.id, 'session', session('2026-03-30', false, { present: 4, absentees: ['甲', '乙', '丙', '丁', '戊'].map((name) => ({ name, reason: '外出', justified: false })) }));
    const again = await instance(staff, inst.id);
    expect(again.variables.quorate).toBe(false);
    expect(again.active.map((a: any) => a.elementId)).toEqual(['session']);
    await completeNext(staff, inst.id, 'session', session('2026-03-31', false, { decisions: '更换保洁公司', voteMethod: '举手表决', resolutionFor: 4 }));
    const done = await instance(staff, inst.id);
    expect(done).toMatchObject({ status: 'completed', variables: { quorate: true, resolutionPassed: false } }); // 4 of 9 members is not more than half
    // seed 000 工作制度二: the result of the vote is made known to all members
    const results = (await new Client(server.url).get('/api/public/results?jurisdiction=anhui&limit=200')).body.items;
    expect(results.find((r: any) => r.instanceId === inst.id)).toMatchObject({ title: '协商议事委员会表决结果（第1季度）', content: { decisions: '更换保洁公司', resolutionPassed: false, resolutionFor: 4, expected: 9 } });
  });

  it('seed 000 工作制度六 民主评议: proposing a member for replacement needs the votes of more than half the members', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const inst = await startInstance(staff, 'anhui', 'council-meeting');
    await completeNext(staff, inst.id, 'session', session('2026-10-20', false));
    const task = await openTask(staff, inst.id, 'annual-review');
    const review = { date: today, reportHeard: true, rating: '较好', nextYearOpinions: '加强物业服务监督', members: 9 };
    const few = await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...review, replacements: [{ name: '成员丁', reason: '屡次未参加会议', votesFor: 4 }] } });
    expect(few.body.errors).toEqual([{ path: '/replacements', message: '建议增补须经议事会过半数成员表决同意' }]);
    await completeNext(staff, inst.id, 'annual-review', { ...review, replacements: [{ name: '成员丁', reason: '屡次未参加会议', votesFor: 6 }] });
    expect((await instance(staff, inst.id)).status).toBe('completed');
  });

  it('seed 000 工作制度四 分片负责: each member collects the own grid’s opinions every month, forwards them; those who go on collect again from the 1st', async () => {
    const inst = await startInstance(staff, 'anhui', 'grid-collection');
    const assignments = [{ member: '议事委员甲', grid: '第一网格' }, { member: '议事委员乙', grid: '第二网格' }, { member: '议事委员丙', grid: '第三网格' }];
    await completeNext(staff, inst.id, 'assign-grids', { assignments });
    const tasks = (await staff.get(`/api/tasks?status=open&instanceId=${inst.id}`)).body.items;
    expect(tasks.map((t: any) => [t.elementId, t.candidateGroups])).toEqual(assignments.map(() => ['collect-grid', ['council']]));
    const view = (await staff.get(`/api/tasks/${(await openTask(staff, inst.id, 'collect-grid', { assignment: assignments[1] })).id}`)).body;
    expect(view.context).toEqual([{ title: '负责成员', value: '议事委员乙' }, { title: '负责网格（片区）', value: '第二网格' }]); // each member sees the own grid
    const collected = { collectedOn: '2026-11-20', opinions: [{ from: '住户甲', content: '楼道灯不亮' }], forwardedOn: '2026-11-21', continueCollection: true };
    const early = await staff.post(`/api/tasks/${tasks[0].id}/complete`, { data: { ...collected, forwardedOn: '2026-11-19' } });
    expect(early.body.errors).toEqual([{ path: '/forwardedOn', message: '转达日期不能早于征集日期' }]);
    const today = new Date().toISOString().slice(0, 10);
    const [y, m] = today.split('-').map(Number);
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    const month = { ...collected, collectedOn: today, forwardedOn: today };
    await completeNext(staff, inst.id, 'collect-grid', month, { assignment: assignments[0] });
    expect((await instance(staff, inst.id)).active.map((a: any) => a.elementId)).toEqual(['collect-grid', 'collect-grid']); // the others have not collected yet
    await completeNext(staff, inst.id, 'collect-grid', { ...month, continueCollection: false }, { assignment: assignments[1] });
    await completeNext(staff, inst.id, 'collect-grid', month, { assignment: assignments[2] });
    const waiting = await instance(staff, inst.id);
    expect(waiting.active.map((a: any) => a.elementId)).toEqual(['wait-next']);
    expect(waiting.active[0].dueAt).toBe(new Date(`${next}T09:00:00+08:00`).toISOString());
    expect(waiting.variables.assignments).toHaveLength(2); // next month: the two who go on
    expect((await staff.get(`/api/tasks/${tasks[0].id}`)).body.title).toBe('分片征集群众意见：第一网格、第三网格'); // the case is titled by the grids still collected
  });
});

describe('wushen-banner 乌审旗 (P2)', () => {
  const reply = { replyDate: '2026-11-12', documentNo: '乌政函〔2026〕12号', replyContent: '同意，由苏木镇协调资金', adopted: true };
  const closing = ['feedback', 'supervision-review', 'archive'];

  it('seed 001 vocabulary: 嘎查村 and 苏木镇 in the task names of the inherited national procedure', async () => {
    const j = (await staff.get('/api/jurisdictions/wushen-banner')).body;
    expect(j.vocabulary['乡镇']).toBe('苏木镇');
    expect(j.processes.find((p: any) => p.key === 'consultation').definedAt).toBe('national');
    const inst = await wushenToImplementation(staff, 'wushen-banner', '社区（村）落实');
    const listed = await openTask(staff, inst.id, 'implement-community');
    const task = (await staff.get(`/api/tasks/${listed.id}`)).body;
    expect(task.name).toBe('社区（嘎查村）组织实施并按期公开进度');
    // The task list speaks the same words, for API consumers as for the page.
    expect(listed.name).toBe(task.name);
    const forms = (await staff.get('/api/jurisdictions/wushen-banner')).body.forms;
    expect(forms.find((f: any) => f.formKey === 'township-lead').title).toContain('苏木镇');
  });

  it('seed 001 vocabulary reaches option labels (oneOf titles) of a form, the stored value stays the national one', async () => {
    const inst = await startInstance(staff, 'wushen-banner', 'consultation');
    await completeNext(staff, inst.id, 'collect', { reportDate: '2026-11-01', description: '草场围栏损坏', reporter: '牧民乙', channel: '民情家访' });
    await completeNext(staff, inst.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业' });
    await completeNext(staff, inst.id, 'draft', P1_PASSED.draft);
    await completeNext(staff, inst.id, 'research', wushenResearch(['书面通知']));
    for (const elementId of ['meeting', 'legality']) await completeNext(staff, inst.id, elementId, P1_PASSED[elementId]);
    const task = (await staff.get(`/api/tasks/${(await openTask(staff, inst.id, 'publication')).id}`)).body;
    const kind = task.form.schema.properties.implementerKind;
    expect(kind.oneOf.map((o: any) => o.const)).toEqual(['居民共同遵守', '社区（村）落实', '上级部门落实']);
    expect(kind.oneOf.map((o: any) => o.title)).toEqual(['居民共同遵守', '社区（嘎查村）落实', '提交苏木镇政府或职能部门落实（十日内书面反馈）']);
    const j = (await staff.get('/api/jurisdictions/wushen-banner')).body;
    expect(j.forms.find((f: any) => f.formKey === 'publication').definedAt).toBe('wushen-banner');
    await completeNext(staff, inst.id, 'publication', { ...P1_PASSED.publication, implementerKind: '社区（村）落实' });
    expect((await instance(staff, inst.id)).variables.implementerKind).toBe('社区（村）落实');
  });

  it('seed 001 第7条 十日内以书面形式反馈: the written reply arrives in time — no alert; the stakeholders get feedback', async () => {
    const inst = await wushenToImplementation(staff, 'wushen-banner', '上级部门落实');
    const task = await openTask(staff, inst.id, 'report-higher');
    expect((Date.parse(task.due) - Date.now()) / 86_400_000).toBeCloseTo(10, 0);
    const waiting = await instance(staff, inst.id);
    expect(waiting.active.map((a: any) => a.elementId).sort()).toEqual(['reply-overdue', 'report-higher']);
    const unnumbered = await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...reply, documentNo: undefined } });
    expect(unnumbered.body.errors.map((e: any) => e.path)).toEqual(['/documentNo']);
    await completeNext(staff, inst.id, 'report-higher', reply);
    for (const elementId of closing) await completeNext(staff, inst.id, elementId, P1_PASSED[elementId]);
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    expect(done.variables.replyOverdue).toBeUndefined();
    expect(done.variables.notifications).toBeUndefined();
  });

  it('imports a gacha bundle overriding one parameter and one form; its reply lapses, alerts supervision and flags the case', async () => {
    const parent = (await admin.get('/api/rulesets/wushen-banner')).body;
    const form = structuredClone(parent.forms['higher-reply']);
    form.schema.title = '苏木镇政府书面反馈（测试嘎查）';
    form.schema.required.push('signedBy');
    form.schema.properties.signedBy = { type: 'string', title: '签发人', minLength: 1 };
    const bundle = { jurisdiction: { id: 'test-gacha', name: '测试嘎查', parent: 'wushen-banner' }, parameters: { replyDeadline: 'PT1S' }, forms: { 'higher-reply': form } };
    const imported = await admin.post('/api/rulesets', bundle);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const j = (await staff.get('/api/jurisdictions/test-gacha')).body;
    expect(j.parameters).toMatchObject({ replyDeadline: 'PT1S', passRatio: 0.5 });
    expect(j.sources.parameters).toMatchObject({ replyDeadline: 'test-gacha', passRatio: 'national' });
    expect(j.sources.vocabulary['乡镇']).toBe('wushen-banner');
    expect((await admin.get('/api/rulesets/test-gacha')).body).toEqual({ jurisdiction: bundle.jurisdiction, parameters: bundle.parameters, vocabulary: {}, forms: bundle.forms, processes: [] });

    const inst = await wushenToImplementation(staff, 'test-gacha', '上级部门落实');
    const lapsed = await waitFor(async () => {
      const v = await instance(staff, inst.id);
      return v.variables.replyOverdue === true && v;
    }, 10_000, 'the reply timer to lapse');
    expect(lapsed.variables.notifications).toEqual([expect.objectContaining({ to: 'supervision', message: '政府或有关部门未在期限内反馈：草场围栏维修' })]);
    expect(lapsed.active.map((a: any) => a.elementId)).toEqual(['report-higher']);
    const task = (await staff.get(`/api/tasks/${(await openTask(staff, inst.id, 'report-higher')).id}`)).body;
    expect(task.form.schema.title).toBe('苏木镇政府书面反馈（测试嘎查）');
    const unsigned = await staff.post(`/api/tasks/${task.id}/complete`, { data: reply });
    expect(unsigned.status).toBe(422);
    await completeNext(staff, inst.id, 'report-higher', { ...reply, signedBy: '苏木镇镇长' });
    for (const elementId of closing) await completeNext(staff, inst.id, elementId, P1_PASSED[elementId]);
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

  const big = (extra: Record<string, unknown> = {}) => ({ replyDate: '2026-11-10', result: '已增设消防栓两处', resolved: true, ...extra });
  const residentReply = { replyDate: '2026-11-11', replyMethod: '电话告知并留存记录', replyText: '已增设消防栓两处，请监督。' };

  it('seed 003（四）1 大事: suggested from the parameter table, the township offices handle it within the deadline, the reporter is answered', async () => {
    const inst = await registered('治安与消防');
    expect((await instance(staff, inst.id)).variables.suggestedClass).toBe('大事');
    await completeNext(staff, inst.id, 'classify', { matterClass: '大事', basis: '法律法规' });
    await completeNext(staff, inst.id, 'dispatch', { offices: ['综治办'], via: '群工系统', dispatchDate: '2026-11-02' });
    const reply = await openTask(staff, inst.id, 'department-reply');
    expect(reply.candidateGroups).toEqual(['department']);
    expect((Date.parse(reply.due) - Date.now()) / 86_400_000).toBeCloseTo(15, 0);
    await completeNext(staff, inst.id, 'department-reply', big());
    await completeNext(staff, inst.id, 'reply-resident', residentReply);
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    expect(done.history.map((h: any) => h.elementId)).toEqual(expect.arrayContaining(['reply-resident', 'end-big']));
    expect(done.history.map((h: any) => h.elementId)).not.toContain('coordinate');
  });

  it('seed 003（四）1 大事 unresolved: the reason is required, the township coordinates, and the reporter is still answered', async () => {
    const inst = await registered('环境管理');
    await completeNext(staff, inst.id, 'classify', { matterClass: '大事', basis: '法律法规' });
    await completeNext(staff, inst.id, 'dispatch', { offices: ['环保站'], via: '三级服务中心', dispatchDate: '2026-11-02' });
    const task = await openTask(staff, inst.id, 'department-reply');
    const bare = await staff.post(`/api/tasks/${task.id}/complete`, { data: big({ resolved: false }) });
    expect(bare.body.errors.map((e: any) => e.path)).toEqual(['/unresolvedReason']);
    await completeNext(staff, inst.id, 'department-reply', big({ resolved: false, unresolvedReason: '涉及跨镇河道，需区里协调' }));
    await completeNext(staff, inst.id, 'coordinate', { coordinator: '镇党委', coordinationDate: '2026-11-12', result: '已报区生态环境局，约定月底前清理', resolved: false });
    await completeNext(staff, inst.id, 'reply-resident', { ...residentReply, replyText: '已报区生态环境局协调，月底前清理。' });
    expect((await instance(staff, inst.id)).history.map((h: any) => h.elementId)).toEqual(expect.arrayContaining(['coordinate', 'reply-resident', 'end-big']));
  });

  it('seed 003（四）1 大事 jointly handled: each 站所 answers its own part, and one unresolved part sends it to the township', async () => {
    const inst = await registered('治安与消防');
    await completeNext(staff, inst.id, 'classify', { matterClass: '大事', basis: '法律法规' });
    await completeNext(staff, inst.id, 'dispatch', { offices: ['综治办', '派出所'], via: '三级服务中心', dispatchDate: '2026-11-02' });
    const parts = (await staff.get(`/api/tasks?status=open&instanceId=${inst.id}`)).body.items;
    expect(parts.map((t: any) => t.elementId)).toEqual(['department-reply', 'department-reply']);
    await completeNext(staff, inst.id, 'department-reply', big());
    expect((await staff.get(`/api/tasks?status=open&instanceId=${inst.id}`)).body.items.map((t: any) => t.elementId)).toEqual(['department-reply']); // the other 站所 has not answered
    await completeNext(staff, inst.id, 'department-reply', big({ resolved: false, unresolvedReason: '需区公安分局审批' }));
    const coordinating = await instance(staff, inst.id);
    expect(coordinating.variables.departmentsResolved).toEqual(expect.arrayContaining([true, false]));
    expect((await staff.get(`/api/tasks?status=open&instanceId=${inst.id}`)).body.items.map((t: any) => t.elementId)).toEqual(['coordinate']);
  });

  it('seed 003（四）1 大事 overdue: a department that misses its deadline is escalated to the service centre', async () => {
    const bundle = { jurisdiction: { id: 'test-town', name: '测试镇', parent: 'township-triage' }, parameters: { departmentReplyDeadline: 'PT1S' } };
    expect((await admin.post('/api/rulesets', bundle)).status).toBe(201);
    const inst = await startInstance(staff, 'test-town', 'triage');
    await completeNext(staff, inst.id, 'register', intake('市容监察'));
    await completeNext(staff, inst.id, 'classify', { matterClass: '大事', basis: '法律法规' });
    await completeNext(staff, inst.id, 'dispatch', { offices: ['城管中队'], via: '群工系统', dispatchDate: '2026-11-02' });
    const flagged = await waitFor(async () => {
      const v = await instance(staff, inst.id);
      return v.variables.departmentOverdue === true && v;
    }, 10_000, 'the department deadline to lapse');
    expect(flagged.variables.notifications).toEqual([expect.objectContaining({ to: 'service-centre', message: '职能部门逾期未答复，请督办：关于市容监察的诉求' })]);
    expect(flagged.active.map((a: any) => a.elementId)).toEqual(['department-reply']);
  });

  it('seed 003（三）分流: the 两委 classify seeing the matter, its reporter and category, and the suggested class, above the form', async () => {
    const inst = await registered('治安与消防');
    const view = (await staff.get(`/api/tasks/${(await openTask(staff, inst.id, 'classify')).id}`)).body;
    expect(view.context).toEqual([
      { title: '反映事项', value: '关于治安与消防的诉求' }, { title: '反映单位（个人）', value: '居民丙' },
      { title: '事项类别', value: '治安与消防' }, { title: '系统建议分流', value: '大事' },
    ]);
    expect(Object.keys(view.form.schema.properties)).not.toContain('suggestedClass'); // shown, not asked
  });

  it('seed 003（四）1 大事 jointly handled: each 站所 sees which part is its own', async () => {
    const inst = await registered('治安与消防');
    await completeNext(staff, inst.id, 'classify', { matterClass: '大事', basis: '法律法规' });
    await completeNext(staff, inst.id, 'dispatch', { offices: ['综治办', '派出所'], via: '三级服务中心', dispatchDate: '2026-11-02' });
    const views = await Promise.all(['综治办', '派出所'].map(async (office) => (await staff.get(`/api/tasks/${(await openTask(staff, inst.id, 'department-reply', { office })).id}`)).body));
    expect(views.map((v) => v.context[0])).toEqual([{ title: '承办站（所）', value: '综治办' }, { title: '承办站（所）', value: '派出所' }]);
  });

  it('seed 003（三）分流: overriding the suggested class needs a written reason, else the 两委 classify again', async () => {
    const inst = await registered('文体活动');
    await completeNext(staff, inst.id, 'classify', { matterClass: '大事', basis: '法律法规' });
    const again = await instance(staff, inst.id);
    expect(again.variables).toMatchObject({ suggestedClass: '小事', classOverridden: true });
    expect(again.active.map((a: any) => a.elementId)).toEqual(['classify']);
    await completeNext(staff, inst.id, 'classify', { matterClass: '大事', basis: '法律法规', overrideReason: '涉及公共场地审批，须由镇政府办理' });
    expect((await instance(staff, inst.id)).active.map((a: any) => a.elementId)).toEqual(['dispatch']);
  });

  const activityPlan = { planType: '活动类', time: '2026-12-20T09:00:00Z', place: '村文化广场', organiser: '村文体队', activityForm: '广场舞比赛', schedule: '文体队组织，妇联负责报名', budget: 5000, needsFunding: true, needsOrganisation: true, needsIncentive: true };

  it('seed 003 一事一议 in the seed’s order: 方案 (活动类 fields), 公约, 众筹, 实施, 评议存档, 社区组织, 激励', async () => {
    const inst = await registered('文体活动');
    expect((await instance(staff, inst.id)).variables.suggestedClass).toBe('小事');
    await completeNext(staff, inst.id, 'classify', { matterClass: '小事', basis: '村规民约（居民公约）' });
    const plan = await openTask(staff, inst.id, 'plan');
    const thin = await staff.post(`/api/tasks/${plan.id}/complete`, { data: { planType: '活动类', needsFunding: true, needsOrganisation: false, needsIncentive: false } });
    expect(thin.body.errors.map((e: any) => e.path).sort()).toEqual(['/activityForm', '/budget', '/organiser', '/place', '/schedule', '/time']);
    const unfunded = await staff.post(`/api/tasks/${plan.id}/complete`, { data: { ...activityPlan, needsFunding: false } });
    expect(unfunded.body.errors).toEqual([{ path: '/needsFunding', message: '经费测算大于零的活动须筹集资金' }]);
    await completeNext(staff, inst.id, 'plan', activityPlan);
    await completeNext(staff, inst.id, 'compact', { investigated: true, discussed: true, assignments: '文体队负责组织', signatures: 46 });
    const funding = await openTask(staff, inst.id, 'funding');
    const wrong = await staff.post(`/api/tasks/${funding.id}/complete`, { data: { total: 5000, government: 2000, residents: 1000, units: 1000, selfIncome: 500 } });
    expect(wrong.body.errors).toEqual([{ path: '/total', message: '各渠道筹资之和应等于所需资金合计' }]);
    await completeNext(staff, inst.id, 'funding', { total: 5000, government: 2000, residents: 1500, units: 1000, selfIncome: 500 });
    await completeNext(staff, inst.id, 'carry-out', {
      steps: ['问题摸底，了解症结', '需求了解，合理整合分类', '理念引导', '办法求教', '骨干动员', '形成方案'],
      situation: '缺少文体活动', causes: '无组织者', approach: '文体队牵头', progress: '比赛已举办', completed: true, disclosed: true,
    });
    await completeNext(staff, inst.id, 'evaluate', { evaluationDate: '2026-12-28', rating: '好', opinion: '群众满意', archiveNo: 'YS-2026-05' });
    await completeNext(staff, inst.id, 'organise', { organisationName: '广场舞协会', organisationType: '文艺团体', service: '承接文艺活动' });
    const incentive = await openTask(staff, inst.id, 'incentive');
    const invented = await staff.post(`/api/tasks/${incentive.id}/complete`, { data: { measures: ['积分奖励'] } });
    expect(invented.status).toBe(422);
    await completeNext(staff, inst.id, 'incentive', { measures: ['表彰性激励', '宣传性激励'] });
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    const order = done.history.map((h: any) => h.elementId).filter((e: string) => ['plan', 'compact', 'funding', 'carry-out', 'evaluate', 'organise', 'incentive'].includes(e));
    expect(order).toEqual(['plan', 'compact', 'funding', 'carry-out', 'evaluate', 'organise', 'incentive']);
    expect(done.variables).toMatchObject({ total: 5000, organisationName: '广场舞协会', archiveNo: 'YS-2026-05' });
  });

  it('seed 003 一事一议 steps are not all forced: a 事务类 matter with its meeting plan skips funding, organisation and incentive', async () => {
    const inst = await registered('便民服务');
    await completeNext(staff, inst.id, 'classify', { matterClass: '小事', basis: '自治章程' });
    const plan = await openTask(staff, inst.id, 'plan');
    const thin = await staff.post(`/api/tasks/${plan.id}/complete`, { data: { planType: '事务类、服务类', needsFunding: false, needsOrganisation: false, needsIncentive: false } });
    expect(thin.body.errors.map((e: any) => e.path).sort()).toEqual(['/content', '/host', '/participants', '/place', '/time']);
    await completeNext(staff, inst.id, 'plan', { planType: '事务类、服务类', time: '2026-12-01T19:00:00Z', place: '村委会', content: '快递代收点设置', participants: ['村民代表', '快递员'], host: '村主任', needsFunding: false, needsOrganisation: false, needsIncentive: false });
    await completeNext(staff, inst.id, 'compact', { investigated: true, discussed: true, assignments: '小卖部代收', signatures: 12 });
    await completeNext(staff, inst.id, 'carry-out', {
      steps: ['问题摸底，了解症结', '需求了解，合理整合分类', '理念引导', '办法求教', '骨干动员', '形成方案'],
      situation: '快递无人代收', causes: '村里无网点', approach: '小卖部代收', progress: '代收点已开', completed: true,
    });
    await completeNext(staff, inst.id, 'evaluate', { evaluationDate: '2026-12-28', rating: '较好', opinion: '运转正常', archiveNo: 'YS-2026-06' });
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    for (const skipped of ['funding', 'organise', 'incentive']) expect(done.history.map((h: any) => h.elementId)).not.toContain(skipped);
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

  it('seed 003（二）3 每季度系统梳理: the next review is on the first day of the next quarter, until stopped', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const [y, m] = today.split('-').map(Number);
    const quarter = Math.ceil(m / 3);
    const next = quarter === 4 ? `${y + 1}-01-01` : `${y}-${String(quarter * 3 + 1).padStart(2, '0')}-01`;
    const inst = await startInstance(staff, 'township-triage', 'ledger-review');
    await completeNext(staff, inst.id, 'review', { reviewDate: today, openItems: 12, adjusted: 2, continueReview: true });
    const waiting = await instance(staff, inst.id);
    expect(waiting.active.map((a: any) => a.elementId)).toEqual(['wait-next']);
    expect(waiting.active[0].dueAt).toBe(new Date(`${next}T09:00:00+08:00`).toISOString());
    const other = await startInstance(staff, 'township-triage', 'ledger-review');
    await completeNext(staff, other.id, 'review', { reviewDate: today, openItems: 0, adjusted: 0, continueReview: false });
    expect((await instance(staff, other.id)).status).toBe('completed');
  });
});
