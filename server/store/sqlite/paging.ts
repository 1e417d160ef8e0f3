// Keyset paging over (sort column, id) for every list the API pages through.
import type Database from 'better-sqlite3';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Page } from '../index.js';
import type { Row } from './rows.js';

/** Keyset page over (sortColumn, id), newest first unless asked for ascending order. */
export function page<T>(
  db: Database.Database,
  sql: { from: string; where: string[]; params: unknown[]; sort: string; id: string; ascending?: boolean },
  query: { limit: number; cursor?: string | null },
  map: (r: Row) => T,
  sortValue: (r: Row) => string | number,
): Page<T> {
  const where = [...sql.where];
  const params = [...sql.params];
  const after = decodeCursor(query.cursor);
  if (after) {
    // A row value, so that SQLite seeks in the (…, sort, id) index instead of scanning the OR.
    where.push(`(${sql.sort}, ${sql.id}) ${sql.ascending ? '>' : '<'} (?, ?)`);
    params.push(after[0], after[1]);
  }
  const rows = db
    .prepare(
      `SELECT * FROM ${sql.from} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${sql.sort} ${sql.ascending ? 'ASC' : 'DESC'}, ${sql.id} ${sql.ascending ? 'ASC' : 'DESC'} LIMIT ?`,
    )
    .all(...params, query.limit + 1) as Row[];
  const more = rows.length > query.limit;
  const items = rows.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(sortValue(last), String(last[sql.id.split('.').pop()!])) : null };
}
