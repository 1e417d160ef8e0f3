// A history entry as people read it: the step's name, or for an unnamed event what kind of moment it was.
import type { HistoryEntry } from '../api';

const KINDS: [RegExp, string][] = [
  [/start/i, '开始'], [/end/i, '结束'], [/gateway/i, '判断分支'], [/timer|boundary/i, '期限已到'],
  [/incident/i, '办理受阻'], [/service|script|send/i, '自动处理'], [/message|receive|catch/i, '收到消息'],
];

/** An unnamed element's history entry carries its id as name: that is no name for a person. */
export const stepLabel = (h: HistoryEntry) => (h.name && h.name !== h.elementId ? h.name : KINDS.find(([re]) => re.test(h.type))?.[1] ?? '环节');

export const byLabel = (h: HistoryEntry) => h.byName ?? (h.by === 'system' ? null : h.by);
