// 抄送: who a case was copied to. A copy names users and functional groups; a group reaches whoever
// holds that role in the case's jurisdiction or an ancestor (e.g. `township` of the 乡镇 above a
// village). Copies are history entries of type CarbonCopy whose data lists these reader keys.
import type { HistoryEntry } from '../../store/index.js';
import type { SessionUser } from '../access.js';

export const COPY_TYPE = 'CarbonCopy';

export const userKey = (username: string) => `user:${username}`;
export const groupKey = (group: string, jurisdiction: string) => `group:${group}@${jurisdiction}`;

/** Every key a copy to this user would carry: the user and each role of each membership. */
export function readerKeys(user: SessionUser): string[] {
  return [userKey(user.username), ...user.memberships.flatMap((m) => m.roles.map((r) => groupKey(r, m.jurisdiction)))];
}

/** Whether the case's history holds a copy to this user. */
export function copiedTo(history: HistoryEntry[], user: SessionUser): boolean {
  const mine = new Set(readerKeys(user));
  return history.some((h) => h.type === COPY_TYPE && Array.isArray(h.data?.readers) && h.data.readers.some((k) => typeof k === 'string' && mine.has(k)));
}
