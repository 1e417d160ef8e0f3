// The audit trail: appended inside the writes it records, listed newest first.
import type Database from 'better-sqlite3';
import type { AuditEntry, Store } from '../index.js';
import { page } from './paging.js';
import { json, placeholders, toAudit } from './rows.js';

export type AppendAudit = (entry: AuditEntry) => unknown;

/** Appends one entry; callers run it inside their own transaction. */
export function auditAppender(db: Database.Database): AppendAudit {
  const auditInsert = db.prepare(
    `INSERT INTO audit (at, actor, action, jurisdiction, target_type, target_id, instance_id, before_version, after_version, detail)
     VALUES (?,?,?,?,?,?,?,?,?,?)`,
  );
  return (e) =>
    auditInsert.run(
      e.at,
      e.actor,
      e.action,
      e.jurisdiction,
      e.targetType,
      e.targetId,
      e.instanceId ?? null,
      e.beforeVersion ?? null,
      e.afterVersion ?? null,
      json(e.detail ?? null),
    );
}

export function auditRepository(db: Database.Database, appendAudit: AppendAudit): Store['audit'] {
  return {
    async append(entry) {
      appendAudit(entry);
    },
    async list(q) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.instanceId) (where.push('instance_id = ?'), params.push(q.instanceId));
      if (q.jurisdictions) {
        where.push(`jurisdiction IN (${placeholders(q.jurisdictions.length)})`);
        params.push(...q.jurisdictions);
      }
      return page(db, { from: 'audit', where, params, sort: 'seq', id: 'seq' }, q, toAudit, (r) => r.seq);
    },
  };
}
