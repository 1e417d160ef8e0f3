// Ledger numbers, case summaries and the ledger's queries on MongoDB/FerretDB (no transactions).
//
// The number is part of the instance's own first write: insertOne carries {caseYear, caseSeq} under a
// unique index on (jurisdiction, caseYear, caseSeq), with caseSeq = the highest so far + 1; a racing
// start that took the same number makes the insert fail and we take the next. There is no separate
// counter, so there is no moment between "number taken" and "instance written" for a crash to leave
// a gap in, and instances are never deleted once written (a start has no guard that could undo it).
import type { Collection, Filter } from 'mongodb';
import { caseYear, formatCaseNo, parseCaseNo, type CaseQuery, type CaseRecord, type CasesRepo } from '../cases.js';
import type { InstanceRecord } from '../index.js';
import { page } from './paging.js';
import { caseFields, isDuplicate, toTask, type Doc } from './rows.js';
import type { Collections } from './schema.js';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Number, title or reporter contains q". */
export function caseMatch(q: string): Filter<Doc> {
  const re = { $regex: escapeRegex(q) };
  return { $or: [{ caseNo: re }, { title: re }, { reporter: re }] };
}

async function lastSeq(instances: Collection<Doc>, jurisdiction: string, year: number): Promise<number> {
  const d = await instances.find({ jurisdiction, caseYear: year }).sort({ caseSeq: -1 }).limit(1).project({ caseSeq: 1 }).next();
  return (d?.caseSeq as number | undefined) ?? 0;
}

/** Inserts a new instance document with the next number of its jurisdiction and year (or the one it has). */
export async function insertNumbered(instances: Collection<Doc>, doc: Doc, i: InstanceRecord) {
  const given = i.no ? parseCaseNo(i.no) : null;
  const year = given?.year ?? caseYear(i.startedAt);
  for (;;) {
    const seq = given?.seq ?? (await lastSeq(instances, i.jurisdiction, year)) + 1;
    try {
      await instances.insertOne({ ...doc, caseYear: year, caseSeq: seq, caseNo: formatCaseNo(year, seq) });
      return;
    } catch (err) {
      // Only a number taken meanwhile is retried; a duplicate instance id is the caller's conflict.
      if (!isDuplicate(err) || given || (await instances.countDocuments({ _id: doc._id }, { limit: 1 }))) throw err;
    }
  }
}

/** Numbers the instances written before numbering existed, in opening order, then guards uniqueness. */
async function numberExisting(instances: Collection<Doc>) {
  for await (const d of instances.find({ caseSeq: { $exists: false } }).sort({ startedAt: 1, _id: 1 }).project({ jurisdiction: 1, startedAt: 1 })) {
    const year = caseYear(d.startedAt);
    const seq = (await lastSeq(instances, d.jurisdiction, year)) + 1;
    await instances.updateOne({ _id: d._id }, { $set: { caseYear: year, caseSeq: seq, caseNo: formatCaseNo(year, seq) } });
  }
  await instances.createIndex({ jurisdiction: 1, caseYear: 1, caseSeq: 1 }, { unique: true });
}

const toCase = (d: Doc): CaseRecord => ({
  id: d._id,
  jurisdiction: d.jurisdiction,
  processKey: d.processKey,
  status: d.status,
  startedAt: d.startedAt,
  endedAt: d.endedAt ?? null,
  variables: JSON.parse(d.variables),
  active: JSON.parse(d.active),
  ...caseFields(d),
});
/** A ledger row never reads the engine state (the bulk of an instance document). */
const CASE_PROJECTION = { engineState: 0, params: 0, journal: 0, incident: 0 } as const;

export async function casesRepository({ instances, tasks }: Collections): Promise<CasesRepo> {
  await numberExisting(instances);
  return {
    async list(q: CaseQuery) {
      const filter: Filter<Doc> = { jurisdiction: { $in: q.jurisdictions } };
      if (q.from || q.to) filter.startedAt = { ...(q.from && { $gte: q.from }), ...(q.to && { $lt: q.to }) };
      if (q.status) filter.status = q.status;
      if (q.class) filter.class = q.class;
      if (q.category) filter.category = q.category;
      if (q.processKey) filter.processKey = q.processKey;
      return page(instances, q.q ? { $and: [filter, caseMatch(q.q)] } : filter, 'startedAt', q, toCase, false, CASE_PROJECTION);
    },
    async byIds(ids) {
      if (!ids.length) return [];
      return (await instances.find({ _id: { $in: ids } }).project<Doc>(CASE_PROJECTION).toArray()).map(toCase);
    },
    async openTasks(ids) {
      if (!ids.length) return [];
      return (await tasks.find({ instanceId: { $in: ids }, status: 'open' }).toArray()).map(toTask);
    },
  };
}

/** Tasks of the cases matching q (the first 10,000 such cases: a search narrows, it does not list all). */
export async function taskCaseFilter(instances: Collection<Doc>, q: string): Promise<Filter<Doc>> {
  const ids = await instances.find(caseMatch(q)).project({ _id: 1 }).limit(10_000).toArray();
  return { instanceId: { $in: ids.map((d) => d._id) } };
}
