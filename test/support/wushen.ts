// The Wushen Banner consultation (the national procedure under seed 001's rules) walked through
// the HTTP API up to its implementation, as staff do it: shared by the locality tests and the
// low-code administration e2e.
import { expect } from 'vitest';
import { P1_PASSED } from './p1.js';
import type { Client } from './server.js';
import { completeNext, openTask, startInstance } from './walk.js';

export const wushenResearch = (noticeMethod: string[]) => ({
  ...P1_PASSED.research, parties: ['村（居）民委员会', '户籍居民代表'], consultationForm: '网格协商',
  convenor: '巴图书记', noticeContent: '草场围栏维修议事', noticeMethod, noticeDocument: '嘎查〔2026〕3号',
});

export async function wushenToImplementation(staff: Client, jurisdiction: string, implementerKind: string) {
  const inst = await startInstance(staff, jurisdiction, 'consultation');
  await completeNext(staff, inst.id, 'collect', { reportDate: '2026-11-01', description: '草场围栏损坏', reporter: '牧民乙', channel: '民情家访' });
  await completeNext(staff, inst.id, 'screen', { admissible: true, category: '公共事务、公共环境、公益事业' });
  await completeNext(staff, inst.id, 'draft', { ...P1_PASSED.draft, topic: '草场围栏维修', alternatives: ['集体出资', '分户维修'] });
  const task = await openTask(staff, inst.id, 'research');
  const unwritten = await staff.post(`/api/tasks/${task.id}/complete`, { data: wushenResearch(['微信群']) });
  expect(unwritten.status).toBe(422);
  expect(unwritten.body.errors.map((e: any) => e.path)).toContain('/noticeMethod');
  await completeNext(staff, inst.id, 'research', wushenResearch(['书面通知', '微信群']));
  for (const elementId of ['meeting', 'legality']) await completeNext(staff, inst.id, elementId, P1_PASSED[elementId]);
  await completeNext(staff, inst.id, 'publication', { resultForm: '会议决议', channels: ['居务公开栏'], summary: '集体出资维修围栏', implementerKind });
  await completeNext(staff, inst.id, 'publicity', P1_PASSED.publicity);
  return inst;
}
