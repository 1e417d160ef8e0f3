// What a save of a jurisdiction changed, member by member, for its audit entry: the previous
// value of each change is the undo path.
import type { JsonObject } from '../json.js';

export interface Change {
  path: string;
  from: unknown;
  to: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Changes between two jurisdiction heads: scalar members as a whole, map members key by key. */
export function diffJurisdiction(before: JsonObject | null, after: JsonObject, maps: readonly string[]): Change[] {
  const changes: Change[] = [];
  for (const member of Object.keys({ ...before, ...after })) {
    const from = before?.[member];
    const to = after[member];
    if (same(from, to)) continue;
    if (!maps.includes(member)) {
      changes.push({ path: `/${member}`, from: from ?? null, to: to ?? null });
      continue;
    }
    const a = (from ?? {}) as JsonObject;
    const b = (to ?? {}) as JsonObject;
    for (const key of Object.keys({ ...a, ...b })) {
      if (!same(a[key], b[key])) changes.push({ path: `/${member}/${key}`, from: a[key] ?? null, to: b[key] ?? null });
    }
  }
  return changes;
}
