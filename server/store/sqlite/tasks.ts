// Tasks: the inbox queries (by jurisdiction, assignee, candidate group, overdue) and claiming.
import type Database from 'better-sqlite3';
import { ConflictError, type Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { taskCaseMatch } from './cases.js';
import { page } from './paging.js';
import { placeholders, toTask, type Row } from './rows.js';

/** Sets a task's pending 加签 signers: on the task, and in the index its signers' 待办 reads. */
export function writeSigners(db: Database.Database, taskId: string, signers: string[]) {
  db.prepare('UPDATE tasks SET signers=? WHERE id=?').run(JSON.stringify(signers), taskId);
  db.prepare('DELETE FROM task_signers WHERE task_id=?').run(taskId);
  const add = db.prepare('INSERT INTO task_signers (task_id, username) VALUES (?, ?)');
  for (const u of signers) add.run(taskId, u);
}

export function tasksRepository(db: Database.Database, appendAudit: AppendAudit): Store['tasks'] {
  return {
    async get(id) {
      const r = db.prepare('SELECT * FROM tasks WHERE id=?').get(id) as Row | undefined;
      return r ? toTask(r) : null;
    },
    async list(q) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.jurisdictions) {
        where.push(`t.jurisdiction IN (${placeholders(q.jurisdictions.length)})`);
        params.push(...q.jurisdictions);
      }
      if (q.status) (where.push('t.status = ?'), params.push(q.status));
      let from = 'tasks t';
      const fromParams: unknown[] = [];
      if (q.assignee === null) where.push('t.assignee IS NULL');
      else if (q.assignee !== undefined) {
        // Theirs: assigned to them, or open and awaiting their 加签 approval. Two index seeks (by
        // assignee; by signer, the few rows of one person), not a walk over every open task.
        from = `(SELECT * FROM tasks WHERE assignee = ?
          UNION ALL SELECT x.* FROM task_signers s CROSS JOIN tasks x ON x.id = s.task_id WHERE s.username = ? AND x.status = 'open' AND x.assignee IS NOT ?) t`;
        fromParams.push(q.assignee, q.assignee, q.assignee);
      }
      if (q.candidateGroups) {
        // Correlated, so SQLite walks the tasks in page order and probes the group of each.
        where.push(`EXISTS (SELECT 1 FROM task_groups g WHERE g.grp IN (${placeholders(q.candidateGroups.length)}) AND g.task_id = t.id)`);
        params.push(...q.candidateGroups);
      }
      if (q.overdueAt) (where.push('t.due IS NOT NULL AND t.due < ?'), params.push(q.overdueAt));
      if (q.instanceId) (where.push('t.instance_id = ?'), params.push(q.instanceId));
      if (q.completedBy) (where.push('t.completed_by = ?'), params.push(q.completedBy));
      if (q.q) {
        const m = taskCaseMatch(q.q);
        (where.push(m.sql), params.push(...m.params));
      }
      // Overdue lists run most overdue first, along the (status, due) index.
      return q.overdueAt
        ? page(db, { from, where, params: [...fromParams, ...params], sort: 't.due', id: 't.id', ascending: true }, q, toTask, (r) => r.due)
        : page(db, { from, where, params: [...fromParams, ...params], sort: 't.created_at', id: 't.id' }, q, toTask, (r) => r.created_at);
    },
    async assign(id, expectedVersion, assignee, audit) {
      db.transaction(() => {
        const res = db
          .prepare(`UPDATE tasks SET assignee=?, version=version+1 WHERE id=? AND status='open' AND version=?`)
          .run(assignee, id, expectedVersion);
        if (res.changes !== 1) throw new ConflictError(`task ${id} changed meanwhile or is no longer open`);
        appendAudit(audit);
      })();
    },
  };
}
