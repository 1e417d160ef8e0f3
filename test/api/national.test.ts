// The shipped national procedure P1 through the HTTP API, from the real processes/ and schemas/:
// every branch of every gateway at least once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ROOT, startServer, type Server } from '../support/server.js';
import { completeNext, instance, openTask, startInstance } from '../support/walk.js';

let server: Server;
let staff: Client;

beforeAll(async () => {
  server = await startServer({ contentDir: ROOT });
  staff = await Client.signIn(server.url, 'national.staff');
});
afterAll(async () => {
  await server?.stop();
});

const intake = { date: '2026-11-01', description: '小区停车位不足，车辆乱停乱放', reporter: '张三', channel: '热线电话' };
const meeting = (votesFor: number, contested = false) => ({
  time: '2026-11-10T09:00:00Z', host: '李书记', place: '社区议事厅', expected: 15, present: 13, recorder: '王五',
  minutes: '各方充分发表意见……', resolution: '划定临时停车区', votesFor, votesAgainst: 13 - votesFor, abstain: 0, contested,
});
const research = (topicKind: string, consultationForm: string) => ({
  parties: ['村（居）民委员会', '物业服务企业', '户籍居民代表'], topicKind, consultationForm,
  convenor: '李书记', noticeDate: '2026-11-05', noticeContent: '定于11月10日召开停车管理协商会议',
});

/** Collect → admissible → topic approved → research: the common head of every admissible path. */
async function toResearch(topic: string, topicKind: string, consultationForm: string) {
  const inst = await startInstance(staff, 'national', 'consultation');
  await completeNext(staff, inst.id, 'collect', intake);
  await completeNext(staff, inst.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业' });
  await completeNext(staff, inst.id, 'draft', { topic, alternatives: ['划线停车', '错时共享'], meetingDate: '2026-11-04', approved: true });
  await completeNext(staff, inst.id, 'research', research(topicKind, consultationForm));
  return inst;
}

describe('national P1 城乡社区协商', () => {
  it('loads with its forms and parameters', async () => {
    const j = (await staff.get('/api/jurisdictions/national')).body;
    expect(j.parameters.passRatio).toBe(0.5);
    expect(j.processes.map((p: any) => p.key)).toEqual(['consultation']);
    expect(j.forms).toHaveLength(10);
  });

  for (const reason of ['明显违反党的政策、国家法律法规', '上级明确要求、明文规定必须执行', '明显带有歧视性、不公平']) {
    it(`rejects a 三不议 matter (${reason}) with a written reply`, async () => {
      const inst = await startInstance(staff, 'national', 'consultation');
      await completeNext(staff, inst.id, 'collect', intake);
      const task = await openTask(staff, inst.id, 'screen');
      const missing = await staff.post(`/api/tasks/${task.id}/complete`, { data: { admissible: false } });
      expect(missing.status).toBe(422);
      expect(missing.body.errors.map((e: any) => e.path).sort()).toEqual(['/opinion', '/rejectReason']);
      await completeNext(staff, inst.id, 'screen', { admissible: false, rejectReason: reason, opinion: '不予商议' });
      await completeNext(staff, inst.id, 'reply-rejection', { replyDate: '2026-11-02', replyText: `${reason}，不予商议。`, replyMethod: '书面送达' });
      const done = await instance(staff, inst.id);
      expect(done.status).toBe('completed');
      expect(done.variables).toMatchObject({ admissible: false, rejectReason: reason });
      expect(done.history.map((h: any) => h.elementId)).toContain('end-rejected');
      expect(done.history.map((h: any) => h.elementId)).not.toContain('draft');
    });
  }

  it('returns a topic to the drafters, then a failed vote goes to the assembly and the community implements it', async () => {
    const inst = await startInstance(staff, 'national', 'consultation');
    await completeNext(staff, inst.id, 'collect', intake);
    await completeNext(staff, inst.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业' });
    await completeNext(staff, inst.id, 'draft', { topic: '小区停车管理', alternatives: ['划线停车', '错时共享'], meetingDate: '2026-11-03', approved: false, opinion: '方案不够具体' });
    await completeNext(staff, inst.id, 'draft', { topic: '小区停车管理', alternatives: ['划线停车', '错时共享'], meetingDate: '2026-11-04', approved: true });
    await completeNext(staff, inst.id, 'research', research('专业性技术性事项', '决策听证会'));
    await completeNext(staff, inst.id, 'meeting', meeting(6)); // 6 of 13 is not more than half
    await completeNext(staff, inst.id, 'assembly', { assemblyType: '村（居）民代表会议', date: '2026-11-15', attendees: 30, decision: '通过', resolution: '采用划线停车方案' });
    await completeNext(staff, inst.id, 'publication', { resultForm: '会议决议', channels: ['居务公开栏'], summary: '采用划线停车方案', implementerKind: '社区（村）落实' });
    const mid = await instance(staff, inst.id);
    expect(mid.variables).toMatchObject({ passed: true, decidedBy: '村（居）民代表会议', published: true, topicKind: '专业性技术性事项' });
    expect(mid.active.map((a: any) => a.elementId).sort()).toEqual(['implement-community', 'implementation-overdue']);
    const task = await openTask(staff, inst.id, 'implement-community');
    expect(task.name).toBe('社区（村）组织实施并按期公开进度'); // Wushen Banner's vocabulary makes it 社区（嘎查村）
    expect(Date.parse(task.due) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    await completeNext(staff, inst.id, 'implement-community', { progress: '已完成划线', completed: true, disclosed: true, fundsUsed: true, auditBodies: ['财政'] });
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    expect(done.history.filter((h: any) => h.elementId === 'draft')).toHaveLength(2);
    const results = (await new Client(server.url).get('/api/public/results?jurisdiction=national')).body.items;
    expect(results.find((r: any) => r.instanceId === inst.id)).toMatchObject({ title: '小区停车管理', content: { resultForm: '会议决议', decidedBy: '村（居）民代表会议' } });
  });

  it('passes a public-affairs topic by more than half, and residents keep the compact under supervision', async () => {
    const inst = await toResearch('文明养犬公约', '面上公共事务', '民主恳谈会');
    await completeNext(staff, inst.id, 'meeting', meeting(7)); // 7 of 13 is more than half
    await completeNext(staff, inst.id, 'publication', { resultForm: '居民公约', channels: ['居务公开栏', '社区微信平台'], summary: '文明养犬公约全文', implementerKind: '居民共同遵守' });
    await completeNext(staff, inst.id, 'supervise-residents', { progress: '公约已张贴，楼长监督', completed: true, disclosed: true });
    const done = await instance(staff, inst.id);
    expect(done).toMatchObject({ status: 'completed', variables: { passed: true, votesFor: 7, present: 13, resultForm: '居民公约' } });
    expect(done.history.map((h: any) => h.elementId)).not.toContain('assembly');
  });

  it('refers a contested dispute although a majority voted for it; the assembly rejects; a higher level acts', async () => {
    const inst = await toResearch('楼道堆物纠纷', '涉及面小的矛盾纠纷', '“面对面”交流');
    await completeNext(staff, inst.id, 'meeting', meeting(10, true));
    expect((await instance(staff, inst.id)).variables.passed).toBe(false);
    await completeNext(staff, inst.id, 'assembly', { assemblyType: '村（居）民会议', date: '2026-11-15', attendees: 120, decision: '不通过', resolution: '维持现状，报街道协调' });
    await completeNext(staff, inst.id, 'publication', { resultForm: '会议决议', channels: ['居务公开栏'], summary: '村民会议未通过，报街道协调', implementerKind: '上级部门落实' });
    const task = await openTask(staff, inst.id, 'report-higher');
    expect(Date.parse(task.due) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    await completeNext(staff, inst.id, 'report-higher', { progress: '已报街道', completed: true, disclosed: true, feedback: '街道已协调物业清理' });
    const done = await instance(staff, inst.id);
    expect(done).toMatchObject({ status: 'completed', variables: { passed: false, decidedBy: '村（居）民会议', implementerKind: '上级部门落实' } });
  });

  it('has the township Party committee lead a cross-village topic', async () => {
    const inst = await toResearch('跨村道路修缮', '跨村（社区）事项', '民主议事会');
    const lead = await openTask(staff, inst.id, 'township-lead');
    expect(lead.candidateGroups).toEqual(['township']);
    await completeNext(staff, inst.id, 'township-lead', { leadUnit: '某某镇党委', villages: ['甲村', '乙村'], procedure: '两村代表联席协商' });
    await completeNext(staff, inst.id, 'meeting', meeting(12));
    await completeNext(staff, inst.id, 'publication', { resultForm: '计划方案', channels: ['广播电视'], summary: '两村共同出资修缮道路', implementerKind: '居民共同遵守' });
    await completeNext(staff, inst.id, 'supervise-residents', { progress: '已执行', completed: true, disclosed: true });
    const done = await instance(staff, inst.id);
    expect(done.history.map((h: any) => h.elementId)).toEqual(expect.arrayContaining(['township-lead', 'meeting', 'publish', 'end-done']));
  });

  it('refuses a consultation form that does not fit the topic kind', async () => {
    const inst = await startInstance(staff, 'national', 'consultation');
    await completeNext(staff, inst.id, 'collect', intake);
    await completeNext(staff, inst.id, 'screen', { admissible: true, category: '协商主体提出协商需求的事项' });
    await completeNext(staff, inst.id, 'draft', { topic: '议题', alternatives: ['甲案', '乙案'], meetingDate: '2026-11-04', approved: true });
    const task = await openTask(staff, inst.id, 'research');
    const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: research('专业性技术性事项', '“串门式”谈心') });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.path)).toContain('/consultationForm');
  });

  it('checks the vote arithmetic as a FEEL rule of the meeting form', async () => {
    const inst = await toResearch('议题', '专业性技术性事项', '决策听证会');
    const task = await openTask(staff, inst.id, 'meeting');
    const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...meeting(10), votesAgainst: 5 } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '/votesFor', message: '赞成、反对、弃权票之和不能超过实到会人数' }]);
  });
});
