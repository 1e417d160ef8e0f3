// The shipped national procedure P1 through the HTTP API, from the real processes/ and schemas/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ROOT, startServer, type Server } from '../support/server.js';

let server: Server;
let staff: Client;

beforeAll(async () => {
  server = await startServer({ contentDir: ROOT });
  staff = await Client.signIn(server.url, 'national.staff');
});
afterAll(async () => {
  await server?.stop();
});

async function completeNext(instanceId: string, elementId: string, data: Record<string, unknown>) {
  const open = (await staff.get('/api/tasks?status=open&limit=200')).body.items.filter((t: any) => t.instanceId === instanceId);
  const task = open.find((t: any) => t.elementId === elementId);
  expect(task, `open task ${elementId} among ${open.map((t: any) => t.elementId)}`).toBeTruthy();
  const res = await staff.post(`/api/tasks/${task.id}/complete`, { data });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const intake = { date: '2026-11-01', description: '小区停车位不足，车辆乱停乱放', reporter: '张三', channel: '热线电话' };
const meeting = (votesFor: number, contested = false) => ({
  time: '2026-11-10T09:00:00Z', host: '李书记', place: '社区议事厅', expected: 15, present: 13, recorder: '王五',
  minutes: '各方充分发表意见……', resolution: '划定临时停车区', votesFor, votesAgainst: 13 - votesFor, abstain: 0, contested,
});

describe('national P1 城乡社区协商', () => {
  it('loads with its forms and parameters', async () => {
    const j = (await staff.get('/api/jurisdictions/national')).body;
    expect(j.parameters.passRatio).toBe(0.5);
    expect(j.processes.map((p: any) => p.key)).toEqual(['consultation']);
    expect(j.forms).toHaveLength(10);
  });

  it('rejects a 三不议 matter with a written reply', async () => {
    const inst = (await staff.post('/api/instances', { jurisdiction: 'national', processKey: 'consultation' })).body;
    await completeNext(inst.id, 'collect', intake);
    const missing = await staff.post(`/api/tasks/${(await staff.get('/api/tasks?status=open&limit=200')).body.items.find((t: any) => t.instanceId === inst.id).id}/complete`, { data: { admissible: false } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: any) => e.path).sort()).toEqual(['/opinion', '/rejectReason']);
    await completeNext(inst.id, 'screen', { admissible: false, rejectReason: '上级明确要求、明文规定必须执行', opinion: '属上级统一部署' });
    await completeNext(inst.id, 'reply-rejection', { replyDate: '2026-11-02', replyText: '该事项属上级统一部署，不予商议。', replyMethod: '书面送达' });
    const done = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(done.status).toBe('completed');
    expect(done.variables).toMatchObject({ admissible: false, rejectReason: '上级明确要求、明文规定必须执行' });
    expect(done.history.map((h: any) => h.elementId)).toContain('end-rejected');
  });

  it('refers a failed vote to the assembly, publishes, and supervises community implementation', async () => {
    const inst = (await staff.post('/api/instances', { jurisdiction: 'national', processKey: 'consultation' })).body;
    await completeNext(inst.id, 'collect', intake);
    await completeNext(inst.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业' });
    await completeNext(inst.id, 'draft', { topic: '小区停车管理', alternatives: ['划线停车', '错时共享'], meetingDate: '2026-11-03', approved: false, opinion: '方案不够具体' });
    await completeNext(inst.id, 'draft', { topic: '小区停车管理', alternatives: ['划线停车', '错时共享'], meetingDate: '2026-11-04', approved: true });
    await completeNext(inst.id, 'research', {
      parties: ['村（居）民委员会', '物业服务企业', '户籍居民代表'], topicKind: '面上公共事务', consultationForm: '民主恳谈会',
      convenor: '李书记', noticeDate: '2026-11-05', noticeContent: '定于11月10日召开停车管理恳谈会',
    });
    await completeNext(inst.id, 'meeting', meeting(6)); // 6 of 13 is not more than half
    await completeNext(inst.id, 'assembly', { assemblyType: '村（居）民代表会议', date: '2026-11-15', attendees: 30, decision: '通过', resolution: '采用划线停车方案' });
    await completeNext(inst.id, 'publication', { resultForm: '会议决议', channels: ['居务公开栏'], summary: '采用划线停车方案', implementerKind: '社区（村）落实' });
    const mid = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(mid.variables).toMatchObject({ passed: true, decidedBy: '村（居）民代表会议', published: true });
    expect(mid.active.map((a: any) => a.elementId).sort()).toEqual(['implement-community', 'implementation-overdue']);
    const task = (await staff.get('/api/tasks?status=open&limit=200')).body.items.find((t: any) => t.instanceId === inst.id);
    expect(Date.parse(task.due) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    await completeNext(inst.id, 'implement-community', { progress: '已完成划线', completed: true, disclosed: true, fundsUsed: true, auditBodies: ['财政'] });
    const done = (await staff.get(`/api/instances/${inst.id}`)).body;
    expect(done.status).toBe('completed');
    const results = (await new Client(server.url).get('/api/public/results?jurisdiction=national')).body.items;
    expect(results.find((r: any) => r.instanceId === inst.id)).toMatchObject({ title: '小区停车管理', content: { resultForm: '会议决议', decidedBy: '村（居）民代表会议' } });
  });

  it('checks the vote arithmetic as a FEEL rule of the meeting form', async () => {
    const inst = (await staff.post('/api/instances', { jurisdiction: 'national', processKey: 'consultation' })).body;
    await completeNext(inst.id, 'collect', intake);
    await completeNext(inst.id, 'screen', { admissible: true, category: '协商主体提出协商需求的事项' });
    await completeNext(inst.id, 'draft', { topic: '议题', alternatives: ['甲案', '乙案'], meetingDate: '2026-11-04', approved: true });
    await completeNext(inst.id, 'research', { parties: ['村（居）民委员会', '专家学者及第三方机构'], topicKind: '专业性技术性事项', consultationForm: '决策听证会', convenor: '赵主任', noticeDate: '2026-11-05', noticeContent: '听证会通知内容' });
    const task = (await staff.get('/api/tasks?status=open&limit=200')).body.items.find((t: any) => t.instanceId === inst.id);
    const res = await staff.post(`/api/tasks/${task.id}/complete`, { data: { ...meeting(10), votesAgainst: 5 } });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: '/votesFor', message: '赞成、反对、弃权票之和不能超过实到会人数' }]);
  });
});
