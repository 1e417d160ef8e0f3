// Engine steps: everything one step changes, in one transaction guarded by the instance revision.
import type Database from 'better-sqlite3';
import { ConflictError, type StepChange } from '../index.js';
import type { AppendAudit } from './audit.js';
import { notificationWriter } from './notifications.js';
import { writeCase } from './cases.js';
import { json, placeholders } from './rows.js';

export function stepApplier(db: Database.Database, appendAudit: AppendAudit): (change: StepChange) => void {
  const replaceTaskGroups = (taskId: string, groups: string[]) => {
    const ins = db.prepare('INSERT OR IGNORE INTO task_groups (task_id, grp) VALUES (?, ?)');
    for (const g of groups) ins.run(taskId, g);
  };
  const writeNotifications = notificationWriter(db);

  return db.transaction((c: StepChange) => {
      const i = c.instance;
      if (c.expectedRevision === null) {
        db.prepare(
          `INSERT INTO instances (id, jurisdiction, process_key, version, defined_at, status, started_at, started_by, ended_at,
            variables, params, active, incident, engine_state, revision, parent_id, parent_ref) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        ).run(
          i.id, i.jurisdiction, i.processKey, i.version, i.definedAt, i.status, i.startedAt, i.startedBy, i.endedAt,
          json(i.variables), json(i.params), json(i.active), json(i.incident), json(i.engineState), i.revision,
          i.parentId ?? null, i.parentRef ?? null,
        );
      } else {
        const res = db
          .prepare(
            `UPDATE instances SET version=?, defined_at=?, status=?, ended_at=?, variables=?, active=?, incident=?, engine_state=?, revision=?
             WHERE id=? AND revision=?`,
          )
          .run(i.version, i.definedAt, i.status, i.endedAt, json(i.variables), json(i.active), json(i.incident), json(i.engineState), i.revision, i.id, c.expectedRevision);
        if (res.changes !== 1) throw new ConflictError(`instance ${i.id} changed meanwhile`);
      }
      writeCase(db, i, c.expectedRevision === null);
      if (c.completeTask) {
        const t = c.completeTask;
        const res = db
          .prepare(
            `UPDATE tasks SET status='completed', data=?, completed_at=?, completed_by=?, version=version+1
             WHERE id=? AND status='open' AND version=?`,
          )
          .run(json(t.data), t.at, t.by, t.id, t.expectedVersion);
        if (res.changes !== 1) throw new ConflictError(`task ${t.id} is no longer open`);
      }
      if (c.cancelTaskRefs.length) {
        db.prepare(
          `UPDATE tasks SET status='cancelled', version=version+1 WHERE instance_id=? AND status='open' AND ref IN (${placeholders(c.cancelTaskRefs.length)})`,
        ).run(i.id, ...c.cancelTaskRefs);
      }
      const insTask = db.prepare(
        `INSERT INTO tasks (id, instance_id, ref, element_id, name, jurisdiction, process_key, form_key, candidate_groups,
          assignee, status, data, locals, created_at, due, completed_at, completed_by, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      );
      for (const t of c.createTasks) {
        insTask.run(
          t.id, t.instanceId, t.ref, t.elementId, t.name, t.jurisdiction, t.processKey, t.formKey, json(t.candidateGroups),
          t.assignee, t.status, json(t.data), json(t.locals), t.createdAt, t.due, t.completedAt, t.completedBy, t.version,
        );
        replaceTaskGroups(t.id, t.candidateGroups);
      }
      const insHistory = db.prepare('INSERT INTO history (instance_id, element_id, name, type, at, by, data) VALUES (?,?,?,?,?,?,?)');
      for (const h of c.history) insHistory.run(h.instanceId, h.elementId, h.name, h.type, h.at, h.by, json(h.data));
      db.prepare('DELETE FROM timers WHERE instance_id=?').run(i.id);
      const insTimer = db.prepare('INSERT INTO timers (instance_id, ref, element_id, due_at) VALUES (?,?,?,?)');
      for (const t of c.timers) insTimer.run(t.instanceId, t.ref, t.elementId, t.dueAt);
      db.prepare('DELETE FROM subscriptions WHERE instance_id=?').run(i.id);
      const insSub = db.prepare('INSERT INTO subscriptions (instance_id, ref, element_id, message_name, correlation_key) VALUES (?,?,?,?,?)');
      for (const s of c.subscriptions) insSub.run(s.instanceId, s.ref, s.elementId, s.messageName, s.correlationKey);
      for (const id of c.consumeMessageIds) {
        const res = db.prepare('DELETE FROM messages WHERE id=?').run(id);
        if (res.changes !== 1) throw new ConflictError(`message ${id} was already consumed`);
      }
      const insResult = db.prepare('INSERT INTO results (id, jurisdiction, instance_id, title, content, published_at) VALUES (?,?,?,?,?,?)');
      for (const r of c.results) insResult.run(r.id, r.jurisdiction, r.instanceId, r.title, json(r.content), r.publishedAt);
      for (const a of c.audit) appendAudit(a);
      if (c.notifications) writeNotifications(c.notifications);
    });
}
