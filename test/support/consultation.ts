// A national consultation walked through the HTTP API to just after its meeting (documents, print).
import { meetingRecord, P1_PASSED } from './p1.js';
import type { Client } from './server.js';
import { completeNext, startInstance } from './walk.js';

export const meetingData = meetingRecord(15, 13, 12, {
  time: '2026-11-10T01:00:00Z', place: '社区议事厅', minutes: '各方充分发表意见，同意划定临时停车区。', resolution: '划定临时停车区',
});

export async function heldMeeting(client: Client, jurisdiction = 'national') {
  const inst = await startInstance(client, jurisdiction, 'consultation');
  await completeNext(client, inst.id, 'collect', P1_PASSED.collect);
  await completeNext(client, inst.id, 'screen', P1_PASSED.screen);
  await completeNext(client, inst.id, 'draft', { ...P1_PASSED.draft, topic: '小区停车管理' });
  await completeNext(client, inst.id, 'research', P1_PASSED.research);
  await completeNext(client, inst.id, 'meeting', meetingData);
  return inst;
}
