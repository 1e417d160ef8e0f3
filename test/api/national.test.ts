// The shipped national procedure P1 through the HTTP API, from the real processes/ and schemas/:
// each test names the seed and clause it checks (seed 004 = 中办发〔2015〕41号 as summarised,
// seed 000 = 皖办发〔2015〕53号 and the Anhui council's rules, whose meeting rule is the default).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ROOT, startServer, type Server } from '../support/server.js';
import { completeNext, instance, openTask, startInstance } from '../support/walk.js';
import { P1_PASSED, meetingRecord } from '../support/p1.js';

let server: Server;
let staff: Client;

beforeAll(async () => {
  server = await startServer({ contentDir: ROOT });
  staff = await Client.signIn(server.url, 'national.staff');
});
afterAll(async () => {
  await server?.stop();
});

const D = P1_PASSED;
const ids = (v: any, key: 'history' | 'active') => v[key].map((h: any) => h.elementId);

async function walk(instanceId: string, steps: [string, Record<string, unknown>][]) {
  for (const [elementId, data] of steps) await completeNext(staff, instanceId, elementId, data);
}
async function refused(instanceId: string, elementId: string, data: Record<string, unknown>) {
  const task = await openTask(staff, instanceId, elementId);
  const res = await staff.post(`/api/tasks/${task.id}/complete`, { data });
  expect(res.status).toBe(422);
  return res.body.errors as { path: string; message: string }[];
}
/** Start → collected → admitted → topic approved → research done: the head of every admissible path. */
async function toMeeting(research: Record<string, unknown> = {}, topic = D.draft.topic) {
  const inst = await startInstance(staff, 'national', 'consultation');
  await walk(inst.id, [['collect', D.collect], ['screen', D.screen], ['draft', { ...D.draft, topic }], ['research', { ...D.research, ...research }]]);
  return inst;
}
/** …meeting passed, lawful, published, 公示 without objection: waiting for implementation. */
async function toImplementation(implementerKind: string, topic = '小区停车管理') {
  const inst = await toMeeting({}, topic);
  await walk(inst.id, [['meeting', D.meeting], ['legality', D.legality], ['publication', { ...D.publication, implementerKind }], ['publicity', D.publicity]]);
  return inst;
}
const publicResults = async () => (await new Client(server.url).get('/api/public/results?jurisdiction=national&limit=200')).body.items as any[];

describe('national P1 城乡社区协商', () => {
  it('loads with its parameters: quorum, majority, notice, 公示 and deadlines', async () => {
    const j = (await staff.get('/api/jurisdictions/national')).body;
    expect(j.parameters).toMatchObject({ quorumRatio: 0.5, passRatio: 0.5, advanceNotice: 'P3D', publicityPeriod: 'P7D', implementationDeadline: 'P30D', replyDeadline: 'P30D' });
    expect(j.processes.map((p: any) => p.key)).toEqual(['consultation']);
    expect(j.forms.map((f: any) => f.formKey).sort()).toEqual(['admissibility', 'archive', 'assembly-decision', 'explanation', 'feedback', 'higher-reply', 'implementation', 'issue-intake', 'legal-correction', 'legality-review', 'meeting-record', 'publication', 'publicity', 'rejection-reply', 'research', 'supervision-review', 'topic-draft', 'township-lead']);
  });

  it('seed 004 协商内容: a matter outside the six kinds is refused with a written reason and a reply', async () => {
    const inst = await startInstance(staff, 'national', 'consultation');
    await completeNext(staff, inst.id, 'collect', D.collect);
    expect((await refused(inst.id, 'screen', { admissible: false })).map((e) => e.path).sort()).toEqual(['/opinion', '/rejectReason']);
    await walk(inst.id, [['screen', { admissible: false, rejectReason: '属于个人家庭事务，不属于协商内容', opinion: '不予协商' }], ['reply-rejection', { replyDate: '2026-11-02', replyText: '属于个人家庭事务，不予协商。', replyMethod: '书面送达' }]]);
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    expect(ids(done, 'history')).toContain('end-rejected');
    expect(ids(done, 'history')).not.toContain('draft');
  });

  it('seed 000 二是拟定议题 (两委会议): without a quorum or a majority of its members the topic goes back', async () => {
    const inst = await startInstance(staff, 'national', 'consultation');
    await walk(inst.id, [['collect', D.collect], ['screen', D.screen]]);
    await completeNext(staff, inst.id, 'draft', { ...D.draft, committeeMembers: 7, committeePresent: 3, committeeFor: 3 }); // 3 of 7 present: no quorum
    await completeNext(staff, inst.id, 'draft', { ...D.draft, committeeMembers: 7, committeePresent: 5, committeeFor: 3 }); // 3 of 7 members: no majority
    expect((await instance(staff, inst.id)).variables.topicApproved).toBe(false);
    await completeNext(staff, inst.id, 'draft', D.draft);
    const v = await instance(staff, inst.id);
    expect(ids(v, 'history').filter((e: string) => e === 'draft')).toHaveLength(3);
    expect(ids(v, 'active')).toEqual(['research']);
  });

  it('seed 000 二是拟定议题: the 两委 may decide not to take the topic up; the reporter is answered in writing', async () => {
    const inst = await startInstance(staff, 'national', 'consultation');
    await walk(inst.id, [['collect', D.collect], ['screen', D.screen]]);
    await completeNext(staff, inst.id, 'draft', { ...D.draft, committeeFor: 2, dropTopic: true, opinion: '已列入街道年度计划，无需协商' });
    await completeNext(staff, inst.id, 'reply-rejection', { replyDate: '2026-11-05', replyText: '已列入街道年度计划，不再作为协商议题。', replyMethod: '上门告知' });
    const done = await instance(staff, inst.id);
    expect(done).toMatchObject({ status: 'completed', variables: { topicApproved: false, topicDropped: true } });
    expect(ids(done, 'history')).toContain('end-rejected');
    expect(ids(done, 'history')).not.toContain('research');
  });

  it('seed 004 提前通报 / seed 003 预留充足时间: notice after the meeting is refused, notice too late sends research back', async () => {
    const inst = await startInstance(staff, 'national', 'consultation');
    await walk(inst.id, [['collect', D.collect], ['screen', D.screen], ['draft', D.draft]]);
    expect(await refused(inst.id, 'research', { ...D.research, noticeDate: '2026-11-12', meetingDate: '2026-11-10' })).toEqual([{ path: '/noticeDate', message: '须在协商会议之前提前通报' }]);
    await completeNext(staff, inst.id, 'research', { ...D.research, noticeDate: '2026-11-08', meetingDate: '2026-11-10' }); // 2 days < P3D
    const late = await instance(staff, inst.id);
    expect(late.variables.noticeInTime).toBe(false);
    expect(ids(late, 'active')).toEqual(['research']);
    await completeNext(staff, inst.id, 'research', { ...D.research, noticeDate: '2026-11-08', meetingDate: '2026-11-11' });
    expect(ids(await instance(staff, inst.id), 'active')).toEqual(['meeting']);
  });

  it('seed 004 协商形式 / 涉及面广、关注度高: the national forms only, and a 专题议事会 or 民主听证会 for a broad, closely watched matter', async () => {
    const inst = await startInstance(staff, 'national', 'consultation');
    await walk(inst.id, [['collect', D.collect], ['screen', D.screen], ['draft', D.draft]]);
    expect((await refused(inst.id, 'research', { ...D.research, topicKind: '涉及面广、关注度高的事项', consultationForm: '村（居）民议事会' })).map((e) => e.path)).toContain('/consultationForm');
    expect((await refused(inst.id, 'research', { ...D.research, consultationForm: '民主恳谈会' })).map((e) => e.path)).toContain('/consultationForm'); // Anhui's form, not the national list
    await completeNext(staff, inst.id, 'research', { ...D.research, topicKind: '涉及面广、关注度高的事项', consultationForm: '民主听证会' });
    expect((await instance(staff, inst.id)).variables.consultationForm).toBe('民主听证会');
  });

  it('seed 000 会议记录 “应到人数过半数”: a meeting without a quorum cannot decide and is held again', async () => {
    const inst = await toMeeting();
    await completeNext(staff, inst.id, 'meeting', meetingRecord(21, 10, 10)); // 10 of 21 present
    const v = await instance(staff, inst.id);
    expect(v.variables).toMatchObject({ quorate: false, passed: false });
    expect(ids(v, 'active')).toEqual(['meeting']);
    expect(ids(v, 'history')).not.toContain('assembly');
  });

  it('seed 000 工作机制第6条 过半数以上成员赞成: 21 members, 12 present, 7 in favour does not pass; the assembly decides', async () => {
    const inst = await toMeeting({}, '广场舞噪音');
    await completeNext(staff, inst.id, 'meeting', meetingRecord(21, 12, 7));
    const v = await instance(staff, inst.id);
    expect(v.variables).toMatchObject({ quorate: true, passed: false, votesFor: 7, expected: 21 });
    expect(ids(v, 'active')).toEqual(['assembly']);
  });

  it('seed 004 提交村（居）民会议决定: the assembly needs its quorum; its 不通过 is published, the reporter answered, nothing carried out', async () => {
    const inst = await toMeeting({}, '广场舞噪音');
    await completeNext(staff, inst.id, 'meeting', meetingRecord(21, 15, 15, { contested: true })); // contested: referred despite the votes
    const assembly = (present: number, votesFor: number) => ({ assemblyType: '村（居）民会议', assemblyDate: '2026-11-15', assemblyExpected: 120, assemblyPresent: present, assemblyFor: votesFor, assemblyAgainst: present - votesFor, assemblyAbstain: 0, resolution: '限定广场舞时间' });
    expect(await refused(inst.id, 'assembly', { ...assembly(70, 50), assemblyAgainst: 30 })).toEqual([{ path: '/assemblyFor', message: '赞成、反对、弃权之和不能超过实到人数' }]);
    await completeNext(staff, inst.id, 'assembly', assembly(60, 60)); // 60 of 120: no quorum
    expect(ids(await instance(staff, inst.id), 'active')).toEqual(['assembly']);
    await completeNext(staff, inst.id, 'assembly', assembly(70, 55)); // 55 of 120 members: not passed
    await completeNext(staff, inst.id, 'reply-not-passed', { replyDate: '2026-11-16', replyText: '村民会议未通过，维持现状并解释说明。', replyMethod: '书面送达' });
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    expect(done.variables).toMatchObject({ passed: false, decidedBy: '村（居）民会议', votesFor: 55 });
    expect(ids(done, 'history')).toEqual(expect.arrayContaining(['publish-not-passed', 'reply-not-passed', 'end-not-passed']));
    for (const never of ['legality', 'publication', 'publish', 'supervise-residents', 'implement-community', 'report-higher']) expect(ids(done, 'history')).not.toContain(never);
    expect((await publicResults()).find((r) => r.instanceId === inst.id)).toMatchObject({ title: '未通过：广场舞噪音', content: { passed: false, decidedBy: '村（居）民会议' } });
  });

  it('seed 004 协商结果违反法律法规的，基层政府应当依法纠正: the township corrects it and nothing is published', async () => {
    const inst = await toMeeting();
    await completeNext(staff, inst.id, 'meeting', D.meeting);
    const review = await openTask(staff, inst.id, 'legality');
    expect(review.candidateGroups).toEqual(['township']);
    await completeNext(staff, inst.id, 'legality', { ...D.legality, lawful: false, opinion: '向租户收取停车费无法律依据' });
    await completeNext(staff, inst.id, 'correct', { correctionDate: '2026-11-12', violatedLaw: '价格法', correction: '撤销收费决定，另行协商', education: '召开法治宣传会' });
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    expect(ids(done, 'history')).toContain('end-corrected');
    expect(ids(done, 'history')).not.toContain('publish');
  });

  it('seed 000 五是公开结果 公示: not closed before the period ends, a short one continues, an objection is explained and reconsulted', async () => {
    const inst = await toMeeting();
    await walk(inst.id, [['meeting', D.meeting], ['legality', D.legality], ['publication', D.publication]]);
    const publicity = await openTask(staff, inst.id, 'publicity');
    expect((Date.parse(publicity.due) - Date.now()) / 86_400_000).toBeCloseTo(7, 0);
    expect(ids(await instance(staff, inst.id), 'active').sort()).toEqual(['publicity', 'publicity-ends']);
    const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    expect(await refused(inst.id, 'publicity', { ...D.publicity, publicityEnd: future })).toEqual([{ path: '/publicityEnd', message: '公示尚未结束，期满后再登记' }]);
    await completeNext(staff, inst.id, 'publicity', { ...D.publicity, publicityEnd: '2026-11-14' }); // 3 days < P7D
    expect(ids(await instance(staff, inst.id), 'active')).toContain('publicity');
    expect((await refused(inst.id, 'publicity', { ...D.publicity, objections: true })).map((e) => e.path)).toContain('/objectionList');
    await completeNext(staff, inst.id, 'publicity', { ...D.publicity, objections: true, objectionList: [{ from: '住户甲', content: '划线占用消防通道' }] });
    await completeNext(staff, inst.id, 'explain', { explainedTo: ['住户甲'], explanation: '已现场核实，调整划线位置后重新协商', reconsult: true });
    expect(ids(await instance(staff, inst.id), 'active')).toEqual(['meeting']);
    await walk(inst.id, [['meeting', D.meeting], ['legality', D.legality], ['publication', D.publication], ['publicity', { ...D.publicity, objections: true, objectionList: [{ from: '住户乙', content: '希望多留车位' }] }]]);
    await completeNext(staff, inst.id, 'explain', { explainedTo: ['住户乙'], explanation: '车位数量已按规范最大化', reconsult: false });
    expect(ids(await instance(staff, inst.id), 'active')).toEqual(['supervise-residents']);
  });

  it('seed 004 组织实施、反馈落实情况 / seed 000 六是监督执行 / 工作机制第7条 归档: progress reports, published 落实情况, feedback, review, archive', async () => {
    const inst = await toImplementation('社区（村）落实', '楼道照明改造');
    const task = await openTask(staff, inst.id, 'implement-community');
    expect(task.name).toBe('社区（村）组织实施并按期公开进度');
    expect(Date.parse(task.due) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await refused(inst.id, 'implement-community', { progress: '已采购灯具', completed: false, disclosed: true, fundsUsed: true })).map((e) => e.path)).toContain('/auditBodies');
    await completeNext(staff, inst.id, 'implement-community', { progress: '已采购灯具', completed: false, disclosed: true, fundsUsed: true, auditBodies: ['财政'] });
    expect(ids(await instance(staff, inst.id), 'active').sort()).toEqual(['implement-community', 'implementation-overdue']);
    await completeNext(staff, inst.id, 'implement-community', { progress: '全部楼道已安装', completed: true, disclosed: true, fundsUsed: true, auditBodies: ['财政', '审计'] });
    expect((await refused(inst.id, 'feedback', { ...D.feedback, recipients: ['居民', '协商主体', '利益相关方'] })).map((e) => e.path)).toContain('/recipients');
    await completeNext(staff, inst.id, 'feedback', D.feedback);
    await completeNext(staff, inst.id, 'supervision-review', { reviewDate: '2026-11-21', verdict: '未落实到位', opinion: '三号楼未安装' });
    await completeNext(staff, inst.id, 'implement-community', { progress: '三号楼已补装', completed: true, disclosed: true });
    await walk(inst.id, [['feedback', D.feedback], ['supervision-review', D['supervision-review']], ['archive', D.archive]]);
    const done = await instance(staff, inst.id);
    expect(done).toMatchObject({ status: 'completed', variables: { archiveNo: 'SQ-2026-001', implementationAccepted: true } });
    expect(ids(done, 'history')).toEqual(expect.arrayContaining(['publish-progress', 'publish-implementation', 'feedback', 'supervision-review', 'archive', 'end-done']));
    const mine = (await publicResults()).filter((r) => r.instanceId === inst.id).map((r) => r.title);
    expect(mine).toEqual(expect.arrayContaining(['楼道照明改造', '落实进展：楼道照明改造', '落实情况：楼道照明改造']));
  });

  it('seed 004 受政府委托的事项向基层政府报告，以适当方式反馈: the township replies within the deadline, then feedback follows', async () => {
    const inst = await toImplementation('上级部门落实');
    const task = await openTask(staff, inst.id, 'report-higher');
    expect(task.candidateGroups).toEqual(['township']);
    expect((Date.parse(task.due) - Date.now()) / 86_400_000).toBeCloseTo(30, 0);
    expect((await refused(inst.id, 'report-higher', { replyDate: '2026-11-20', replyContent: '不予采纳本方案', adopted: false })).map((e) => e.path)).toEqual(['/notAdoptedReason']);
    await completeNext(staff, inst.id, 'report-higher', { replyDate: '2026-11-20', replyContent: '街道已协调物业清理', adopted: true });
    await walk(inst.id, [['feedback', D.feedback], ['supervision-review', D['supervision-review']], ['archive', D.archive]]);
    const done = await instance(staff, inst.id);
    expect(done).toMatchObject({ status: 'completed', variables: { implementerKind: '上级部门落实', completed: true, progress: '街道已协调物业清理' } });
    expect(done.variables.replyOverdue).toBeUndefined();
  });

  it('seed 004 跨村（社区）协商由乡镇、街道党委牵头: the villages are named in the research, the township settles the procedure with each village’s 两委, all must agree', async () => {
    const head = await startInstance(staff, 'national', 'consultation');
    await walk(head.id, [['collect', D.collect], ['screen', D.screen], ['draft', D.draft]]);
    expect((await refused(head.id, 'research', { ...D.research, topicKind: '跨村（社区）事项' })).map((e) => e.path)).toEqual(['/villages']);
    const inst = await toMeeting({ topicKind: '跨村（社区）事项', consultationForm: '村（居）民议事会', villages: ['甲村', '乙村'] }, '跨村道路修缮');
    const leads = (await staff.get(`/api/tasks?status=open&instanceId=${inst.id}`)).body.items;
    expect(leads.map((t: any) => [t.elementId, t.candidateGroups])).toEqual([['township-lead', ['township']], ['township-lead', ['township']]]);
    const lead = { leadUnit: '某某镇党委', procedure: '两村代表联席协商' };
    expect((await refused(inst.id, 'township-lead', { ...lead, villageAgreed: false })).map((e) => e.path)).toEqual(['/villageOpinion']);
    expect(leads.map((t: any) => t.locals.village).sort()).toEqual(['乙村', '甲村']); // each task knows its village
    const view = (await staff.get(`/api/tasks/${(await openTask(staff, inst.id, 'township-lead', { village: '甲村' })).id}`)).body;
    expect(view.context).toEqual([{ title: '村（社区）', value: '甲村' }, { title: '议题', value: '跨村道路修缮' }, { title: '涉及的村（社区）', value: ['甲村', '乙村'] }]);
    await completeNext(staff, inst.id, 'township-lead', { ...lead, villageAgreed: false, villageOpinion: '占用本村耕地，需另选线路' }, { village: '乙村' });
    await completeNext(staff, inst.id, 'township-lead', { ...lead, villageAgreed: true }, { village: '甲村' });
    const again = await instance(staff, inst.id);
    expect(again.variables.villageAgreements).toEqual([true, false]);
    expect(ids(again, 'active')).toEqual(['township-lead', 'township-lead']); // one village disagreed: every village again
    await walk(inst.id, [['township-lead', { ...lead, villageAgreed: true }], ['township-lead', { ...lead, villageAgreed: true }]]);
    expect(ids(await instance(staff, inst.id), 'active')).toEqual(['meeting']);
    await walk(inst.id, [['meeting', meetingRecord(15, 13, 12)], ['legality', D.legality], ['publication', D.publication], ['publicity', D.publicity], ['supervise-residents', D['supervise-residents']], ['feedback', D.feedback], ['supervision-review', D['supervision-review']], ['archive', D.archive]]);
    const done = await instance(staff, inst.id);
    expect(done.status).toBe('completed');
    expect(ids(done, 'history')).toEqual(expect.arrayContaining(['township-lead', 'gw-villages', 'meeting', 'publish', 'end-done']));
  });

  it('seed 000 会议记录与签到簿: the votes, the sign-in list and the absentees must add up', async () => {
    const inst = await toMeeting();
    expect(await refused(inst.id, 'meeting', { ...meetingRecord(15, 13, 10), votesAgainst: 5 })).toEqual([{ path: '/votesFor', message: '赞成、反对、弃权票之和不能超过实到会人数' }]);
    expect(await refused(inst.id, 'meeting', { ...meetingRecord(15, 13, 10), signIn: ['甲', '乙'] })).toEqual([{ path: '/signIn', message: '签到人数应等于实到会人数' }]);
    expect((await refused(inst.id, 'meeting', { ...meetingRecord(15, 13, 10), absentees: undefined })).map((e) => e.path)).toEqual(['/absentees']);
    expect((await refused(inst.id, 'meeting', { ...meetingRecord(15, 13, 10), hostSigned: false })).map((e) => e.path)).toEqual(['/hostSigned']);
    await completeNext(staff, inst.id, 'meeting', meetingRecord(15, 13, 10));
    expect((await instance(staff, inst.id)).variables).toMatchObject({ quorate: true, passed: true });
  });
});
