// Instances and what their steps leave behind to read: history, due timers, published results.
import type Database from 'better-sqlite3';
import { ConflictError, type Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { page } from './paging.js';
import { caseMatch } from './cases.js';
import { json, placeholders, toHistory, toInstance, toResult, toTimer, type Row } from './rows.js';
import { stepApplier } from './steps.js';
import { writeSigners } from './tasks.js';

export function instancesRepository(db: Database.Database, appendAudit: AppendAudit): Store['instances'] {
  const applyStep = stepApplier(db, appendAudit);
  return {
    async get(id) {
      const r = db.prepare('SELECT * FROM instances WHERE id=?').get(id) as Row | undefined;
      return r ? toInstance(r) : null;
    },
    async list(q) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.jurisdictions) {
        where.push(`jurisdiction IN (${placeholders(q.jurisdictions.length)})`);
        params.push(...q.jurisdictions);
      }
      if (q.processKey) (where.push('process_key = ?'), params.push(q.processKey));
      if (q.status) (where.push('status = ?'), params.push(q.status));
      if (q.parentId) (where.push('parent_id = ?'), params.push(q.parentId));
      if (q.startedBy) (where.push('started_by = ?'), params.push(q.startedBy));
      if (q.readers) {
        where.push(
          `id IN (SELECT h.instance_id FROM history h, json_each(h.data, '$.readers') r WHERE h.type = 'CarbonCopy' AND r.value IN (${placeholders(q.readers.length)}))`,
        );
        params.push(...q.readers);
      }
      if (q.q) {
        const m = caseMatch(q.q);
        (where.push(m.sql), params.push(...m.params));
      }
      return page(db, { from: 'instances', where, params, sort: 'started_at', id: 'id' }, q, toInstance, (r) => r.started_at);
    },
    async history(id) {
      return (db.prepare('SELECT * FROM history WHERE instance_id=? ORDER BY seq').all(id) as Row[]).map(toHistory);
    },
    applyStep,
    // A step is one transaction: there is never half of one to finish.
    async recover() {
      return 0;
    },
    async note(note) {
      db.transaction(() => {
        const a = note.assign;
        if (a) {
          const res = db
            .prepare(`UPDATE tasks SET assignee=?, data=COALESCE(?, data), version=version+1 WHERE id=? AND instance_id=? AND status='open' AND version=?`)
            .run(a.assignee, a.data ? json(a.data) : null, a.taskId, note.instanceId, a.expectedVersion);
          if (res.changes !== 1) throw new ConflictError(`task ${a.taskId} changed meanwhile or is no longer open`);
          if (a.signers) writeSigners(db, a.taskId, a.signers);
        }
        const ins = db.prepare('INSERT INTO history (instance_id, element_id, name, type, at, by, data) VALUES (?,?,?,?,?,?,?)');
        for (const h of note.history) ins.run(note.instanceId, h.elementId, h.name, h.type, h.at, h.by, json(h.data));
        appendAudit(note.audit);
      })();
    },
  };
}

export function timersRepository(db: Database.Database): Store['timers'] {
  return {
    async due(now, limit) {
      return (db.prepare('SELECT * FROM timers WHERE due_at <= ? ORDER BY due_at LIMIT ?').all(now, limit) as Row[]).map(toTimer);
    },
  };
}

export function resultsRepository(db: Database.Database): Store['results'] {
  return {
    async list(jurisdictions, q) {
      return page(
        db,
        { from: 'results', where: [`jurisdiction IN (${placeholders(jurisdictions.length)})`], params: jurisdictions, sort: 'published_at', id: 'id' },
        q,
        toResult,
        (r) => r.published_at,
      );
    },
  };
}
