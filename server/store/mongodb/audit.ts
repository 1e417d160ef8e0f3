// The audit trail. Entries written by a journaled write get ids derived from the journal, so a
// replay after a crash upserts the same entries instead of adding new ones.
import crypto from 'node:crypto';
import type { Filter } from 'mongodb';
import type { AuditEntry, Store } from '../index.js';
import { page } from './paging.js';
import { fromAudit, putById, toAudit, type Doc } from './rows.js';
import type { Collections } from './schema.js';

export type AppendAudit = (entry: AuditEntry) => Promise<unknown>;

/** Audit ids sort by time, then by a random tail: newest first is a plain _id order. */
const auditId = (e: AuditEntry) => `${e.at}~${crypto.randomBytes(6).toString('hex')}`;

export const auditAppender = ({ audit }: Collections): AppendAudit => (e) => audit.insertOne(fromAudit(auditId(e), e));

/** Idempotent: entry n of the journaled write `journalId` always lands on the same _id. */
export async function upsertJournaledAudit({ audit }: Collections, journalId: string, entries: AuditEntry[]) {
  for (const [n, a] of entries.entries()) await putById(audit, fromAudit(`${a.at}~${journalId}-${n}`, a));
}

export function auditRepository({ audit }: Collections, appendAudit: AppendAudit): Store['audit'] {
  return {
    async append(entry) {
      await appendAudit(entry);
    },
    async list(q) {
      const filter: Filter<Doc> = {};
      if (q.instanceId) filter.instanceId = q.instanceId;
      if (q.jurisdictions) filter.jurisdiction = { $in: q.jurisdictions };
      return page(audit, filter, '_id', q, toAudit);
    },
  };
}
