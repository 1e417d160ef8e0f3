// Walking the Wushen Banner (P2) consultation to its publication step through the HTTP API.
import { expect } from 'vitest';
import type { Client } from './server.js';
import { completeNext, openTask, startInstance } from './walk.js';

export const wushenResearch = (noticeMethod: string[]) => ({
  parties: ['村（居）民委员会', '户籍居民代表'], topicKind: '面上公共事务', consultationForm: '民主议事会',
  convenor: '巴图书记', noticeDate: '2026-11-05', noticeContent: '草场围栏维修议事', noticeMethod, noticeDocument: '嘎查〔2026〕3号',
});

export const wushenReply = { replyDate: '2026-11-12', documentNo: '乌政函〔2026〕12号', replyContent: '同意，由苏木镇协调资金', adopted: true };

/** Runs a case of topic 草场围栏维修 up to and through publication, handing it to `implementerKind`. */
export async function wushenToPublication(staff: Client, jurisdiction: string, implementerKind: string) {
  const inst = await startInstance(staff, jurisdiction, 'consultation');
  await completeNext(staff, inst.id, 'collect', { date: '2026-11-01', description: '草场围栏损坏', reporter: '牧民乙', channel: '民情家访' });
  await completeNext(staff, inst.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业' });
  await completeNext(staff, inst.id, 'draft', { topic: '草场围栏维修', alternatives: ['集体出资', '分户维修'], meetingDate: '2026-11-04', approved: true });
  const task = await openTask(staff, inst.id, 'research');
  const unwritten = await staff.post(`/api/tasks/${task.id}/complete`, { data: wushenResearch(['微信群']) });
  expect(unwritten.status).toBe(422);
  expect(unwritten.body.errors.map((e: any) => e.path)).toContain('/noticeMethod');
  await completeNext(staff, inst.id, 'research', wushenResearch(['书面通知', '微信群']));
  await completeNext(staff, inst.id, 'meeting', {
    time: '2026-11-10T09:00:00Z', host: '巴图书记', place: '嘎查村部', expected: 11, present: 11, recorder: '其其格',
    minutes: '牧民代表逐一发言，同意集体出资', resolution: '集体出资维修', votesFor: 9, votesAgainst: 2, abstain: 0, contested: false,
  });
  await completeNext(staff, inst.id, 'publication', { resultForm: '会议决议', channels: ['居务公开栏'], summary: '集体出资维修围栏', implementerKind });
  return inst;
}
