// Case context on lists (API v1.1): tasks carry their case's number and title.
import type { Store } from '../store/index.js';

/** Each item with `no` and `title` of the case it belongs to, fetched in one query per page. */
export async function withCase<T extends { instanceId: string }>(store: Store, items: T[]): Promise<(T & { no: string | null; title: string | null })[]> {
  const cases = new Map((await store.cases.byIds([...new Set(items.map((t) => t.instanceId))])).map((c) => [c.id, c]));
  return items.map((t) => ({ ...t, no: cases.get(t.instanceId)?.no ?? null, title: cases.get(t.instanceId)?.summary.title ?? null }));
}
