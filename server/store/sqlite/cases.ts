// Ledger numbers, case summaries and the ledger's queries on SQLite. A number is taken inside the
// transaction that first writes the instance, after its INSERT holds the write lock: MAX+1 of its
// jurisdiction and year is then final, so numbers are gapless and unique even across processes.
import type Database from 'better-sqlite3';
import { caseYear, formatCaseNo, parseCaseNo, type CaseQuery, type CaseRecord, type CasesRepo } from '../cases.js';
import type { InstanceRecord } from '../index.js';
import { page } from './paging.js';
import { caseFields, placeholders, toTask, type Row } from './rows.js';
/** "Number, title or reporter contains q" on the instances table (alias i or none). */
export function caseMatch(q: string, column = (c: string) => c): { sql: string; params: string[] } {
  return { sql: `(instr(${column('case_no')}, ?) > 0 OR instr(${column('title')}, ?) > 0 OR instr(${column('reporter')}, ?) > 0)`, params: [q, q, q] };
}

/** Tasks whose case matches q. */
export const taskCaseMatch = (q: string) => {
  const m = caseMatch(q);
  return { sql: `t.instance_id IN (SELECT id FROM instances WHERE ${m.sql})`, params: m.params };
};

/** Writes the case fields of a step's instance; numbers it when the step is its first. */
export function writeCase(db: Database.Database, i: InstanceRecord, first: boolean) {
  const s = i.summary;
  db.prepare('UPDATE instances SET title=?, reporter=?, category=?, class=? WHERE id=?').run(
    s?.title ?? null, s?.reporter ?? null, s?.category ?? null, s?.class ?? null, i.id,
  );
  if (!first) return;
  const given = i.no ? parseCaseNo(i.no) : null;
  const year = given?.year ?? caseYear(i.startedAt);
  const seq =
    given?.seq ??
    ((db.prepare('SELECT MAX(case_seq) AS n FROM instances WHERE jurisdiction=? AND case_year=?').get(i.jurisdiction, year) as Row).n ?? 0) + 1;
  db.prepare('UPDATE instances SET case_year=?, case_seq=?, case_no=? WHERE id=?').run(year, seq, formatCaseNo(year, seq), i.id);
}

const CASE_COLUMNS = 'id, jurisdiction, process_key, status, started_at, ended_at, variables, active, case_no, title, reporter, category, class';

const toCase = (r: Row): CaseRecord => ({
  id: r.id,
  jurisdiction: r.jurisdiction,
  processKey: r.process_key,
  status: r.status,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  variables: JSON.parse(r.variables),
  active: JSON.parse(r.active),
  ...caseFields(r),
});

export function casesRepository(db: Database.Database): CasesRepo {
  return {
    async list(q: CaseQuery) {
      const where = [`jurisdiction IN (${placeholders(q.jurisdictions.length)})`];
      const params: unknown[] = [...q.jurisdictions];
      if (q.from) (where.push('started_at >= ?'), params.push(q.from));
      if (q.to) (where.push('started_at < ?'), params.push(q.to));
      for (const [column, value] of [['status', q.status], ['class', q.class], ['category', q.category], ['process_key', q.processKey]] as const) {
        if (value) (where.push(`${column} = ?`), params.push(value));
      }
      if (q.q) {
        const m = caseMatch(q.q);
        where.push(m.sql);
        params.push(...m.params);
      }
      return page(db, { from: `(SELECT ${CASE_COLUMNS} FROM instances)`, where, params, sort: 'started_at', id: 'id' }, q, toCase, (r) => r.started_at);
    },
    async byIds(ids) {
      if (!ids.length) return [];
      return (db.prepare(`SELECT ${CASE_COLUMNS} FROM instances WHERE id IN (${placeholders(ids.length)})`).all(...ids) as Row[]).map(toCase);
    },
    async openTasks(ids) {
      if (!ids.length) return [];
      return (db.prepare(`SELECT * FROM tasks WHERE status='open' AND instance_id IN (${placeholders(ids.length)})`).all(...ids) as Row[]).map(toTask);
    },
  };
}
