// What the everyday operations on a case (转办, 委派, 加签, 退回, 撤回, 抄送, 催办, 意见) leave in its
// history: one entry each, by whom, with the 意见 (comment) and the people it concerns.
import { invalid } from '../../errors.js';
import type { HistoryEntry, JsonObject, TaskRecord } from '../../store/index.js';

/** History entry types of the operations (the UI labels them: 转办, 委派…). */
export type OperationType = 'Transfer' | 'Delegate' | 'Resolve' | 'Return' | 'Withdraw' | 'CarbonCopy' | 'Urge' | 'Comment' | 'Opinion' | 'Sign' | 'Unsign' | 'Countersign' | 'SignRefuse';

export const MAX_COMMENT = 2000;

/** The 意见 of a request: optional unless required, a string of at most MAX_COMMENT characters. */
export function readComment(value: unknown, path: string, required = false): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) throw invalid('请填写意见或理由 (a reason is required)', [{ path, message: 'required' }]);
    return null;
  }
  if (typeof value !== 'string' || value.length > MAX_COMMENT) {
    throw invalid(`意见应为不超过 ${MAX_COMMENT} 字的文本 (comment must be text)`, [{ path, message: `a string of at most ${MAX_COMMENT} characters` }]);
  }
  return value.trim() || (required ? readComment(null, path, true) : null);
}

/** An operation's history entry; task operations name the task, case operations the case. */
export function operationEntry(
  at: { instanceId: string; task?: TaskRecord },
  type: OperationType,
  by: string,
  data: JsonObject,
): HistoryEntry {
  const t = at.task;
  return {
    instanceId: at.instanceId, elementId: t?.elementId ?? '', name: t?.name ?? '', type, at: new Date().toISOString(), by,
    data: t ? { taskId: t.id, ...data } : data,
  };
}

/** The delegation a task is under (委派 without the matching 交回), from the case's history. */
export function delegationOf(history: HistoryEntry[], taskId: string): { owner: string; to: string } | null {
  let open: { owner: string; to: string } | null = null;
  for (const h of history) {
    if (h.data?.taskId !== taskId) continue;
    if (h.type === 'Delegate') open = { owner: String(h.data.owner), to: String(h.data.to) };
    else if (h.type === 'Resolve') open = null;
  }
  return open;
}

/** The people an operation's entry names beside who did it (the colleague, the signers, the readers). */
export function namedPeople(h: HistoryEntry): string[] {
  const d = h.data ?? {};
  const one = ['to', 'from', 'owner', 'user'].map((k) => d[k]).filter((v): v is string => typeof v === 'string');
  const many = ['users', 'removed'].flatMap((k) => (Array.isArray(d[k]) ? (d[k] as unknown[]).filter((v): v is string => typeof v === 'string') : []));
  return [...one, ...many];
}
