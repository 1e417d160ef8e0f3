// A national consultation walked through the HTTP API to just after its meeting (documents, print).
import type { Client } from './server.js';
import { completeNext, startInstance } from './walk.js';

export const meetingData = {
  time: '2026-11-10T01:00:00Z', host: '李书记', place: '社区议事厅', expected: 15, present: 13, recorder: '王五',
  minutes: '各方充分发表意见，同意划定临时停车区。', resolution: '划定临时停车区', votesFor: 12, votesAgainst: 1, abstain: 0, contested: false,
};

export async function heldMeeting(client: Client, jurisdiction = 'national') {
  const inst = await startInstance(client, jurisdiction, 'consultation');
  await completeNext(client, inst.id, 'collect', { date: '2026-11-01', description: '小区停车位不足', reporter: '张三', channel: '热线电话' });
  await completeNext(client, inst.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业' });
  await completeNext(client, inst.id, 'draft', { topic: '小区停车管理', alternatives: ['划线停车', '错时共享'], meetingDate: '2026-11-04', approved: true });
  await completeNext(client, inst.id, 'research', {
    parties: ['村（居）民委员会', '物业服务企业'], topicKind: '面上公共事务', consultationForm: '民主议事会', convenor: '李书记', noticeDate: '2026-11-05', noticeContent: '定于11月10日召开停车管理协商会议',
  });
  await completeNext(client, inst.id, 'meeting', meetingData);
  return inst;
}
