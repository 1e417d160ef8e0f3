// Keyset paging over (sort field, _id) for every list the API pages through.
import type { Collection, Filter } from 'mongodb';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Page, PageQuery } from '../index.js';
import type { Doc } from './rows.js';

/** Keyset page over (sortField, _id), newest first unless asked for ascending order; `projection` leaves out fields the list never reads. */
export async function page<T>(
  coll: Collection<Doc>, filter: Filter<Doc>, sort: string, query: PageQuery, map: (d: Doc) => T, ascending = false, projection?: Record<string, 0>,
): Promise<Page<T>> {
  const after = decodeCursor(query.cursor);
  const beyond = ascending ? '$gt' : '$lt';
  const dir = ascending ? 1 : -1;
  const where: Filter<Doc> = after
    ? sort === '_id'
      ? { $and: [filter, { _id: { [beyond]: after[1] } }] }
      : { $and: [filter, { $or: [{ [sort]: { [beyond]: after[0] } }, { [sort]: after[0], _id: { [beyond]: after[1] } }] }] }
    : filter;
  const docs = await coll.find(where, projection && { projection }).sort(sort === '_id' ? { _id: dir } : { [sort]: dir, _id: dir }).limit(query.limit + 1).toArray();
  const more = docs.length > query.limit;
  const items = docs.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(last[sort] as string, last._id) : null };
}
