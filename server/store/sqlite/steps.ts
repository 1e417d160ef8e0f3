// Engine steps: everything one step changes, in one transaction guarded by the instance revision.
// Group commit: the steps that reach the store in one turn of the event loop are written in one
// SQLite transaction (one fsync instead of one per step, synchronous=FULL kept), each in its own
// savepoint so that a rejected step changes nothing and does not take the others with it; every
// caller is answered only after that transaction has committed.
import type Database from 'better-sqlite3';
import { ConflictError, type StepChange } from '../index.js';
import type { AppendAudit } from './audit.js';
import { jobStepWriter } from './jobs.js';
import { notificationWriter } from './notifications.js';
import { writeCase } from './cases.js';
import { json } from './rows.js';
import { writeSigners } from './tasks.js';

interface Pending {
  change: StepChange;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function stepApplier(db: Database.Database, appendAudit: AppendAudit): (change: StepChange) => Promise<void> {
  const insertInstance = db.prepare(
    `INSERT INTO instances (id, jurisdiction, process_key, version, defined_at, status, started_at, started_by, ended_at,
      variables, params, active, incident, engine_state, revision, parent_id, parent_ref) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const instanceExists = db.prepare('SELECT 1 FROM instances WHERE id=?');
  const updateInstance = db.prepare(
    `UPDATE instances SET version=?, defined_at=?, status=?, ended_at=?, variables=?, active=?, incident=?, engine_state=?, revision=?
     WHERE id=? AND revision=?`,
  );
  const completeTask = db.prepare(
    `UPDATE tasks SET status='completed', data=?, completed_at=?, completed_by=?, version=version+1
     WHERE id=? AND status='open' AND version=?`,
  );
  const cancelTask = db.prepare(`UPDATE tasks SET status='cancelled', version=version+1 WHERE instance_id=? AND status='open' AND ref=?`);
  const insertTask = db.prepare(
    `INSERT INTO tasks (id, instance_id, ref, element_id, name, jurisdiction, process_key, form_key, candidate_groups,
      assignee, status, data, locals, created_at, due, completed_at, completed_by, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertTaskGroup = db.prepare('INSERT OR IGNORE INTO task_groups (task_id, grp) VALUES (?, ?)');
  const insertHistory = db.prepare('INSERT INTO history (instance_id, element_id, name, type, at, by, data) VALUES (?,?,?,?,?,?,?)');
  const deleteTimers = db.prepare('DELETE FROM timers WHERE instance_id=?');
  const insertTimer = db.prepare('INSERT INTO timers (instance_id, ref, element_id, due_at) VALUES (?,?,?,?)');
  const deleteSubscriptions = db.prepare('DELETE FROM subscriptions WHERE instance_id=?');
  const insertSubscription = db.prepare('INSERT INTO subscriptions (instance_id, ref, element_id, message_name, correlation_key) VALUES (?,?,?,?,?)');
  const deleteMessage = db.prepare('DELETE FROM messages WHERE id=?');
  const writeNotifications = notificationWriter(db);
  const writeJobs = jobStepWriter(db);
  const insertResult = db.prepare('INSERT INTO results (id, jurisdiction, instance_id, title, content, published_at) VALUES (?,?,?,?,?,?)');

  // Called inside the batch's transaction, so better-sqlite3 makes it a savepoint.
  const applyOne = db.transaction((c: StepChange) => {
    const i = c.instance;
    if (c.expectedRevision === null) {
      if (instanceExists.get(i.id)) throw new ConflictError(`instance ${i.id} exists`);
      insertInstance.run(
        i.id, i.jurisdiction, i.processKey, i.version, i.definedAt, i.status, i.startedAt, i.startedBy, i.endedAt,
        json(i.variables), json(i.params), json(i.active), json(i.incident), json(i.engineState), i.revision,
        i.parentId ?? null, i.parentRef ?? null,
      );
    } else {
      const res = updateInstance.run(i.version, i.definedAt, i.status, i.endedAt, json(i.variables), json(i.active), json(i.incident), json(i.engineState), i.revision, i.id, c.expectedRevision);
      if (res.changes !== 1) throw new ConflictError(`instance ${i.id} changed meanwhile`);
    }
    writeCase(db, i, c.expectedRevision === null);
    if (c.completeTask) {
      const t = c.completeTask;
      const res = completeTask.run(json(t.data), t.at, t.by, t.id, t.expectedVersion);
      if (res.changes !== 1) throw new ConflictError(`task ${t.id} is no longer open`);
    }
    for (const ref of c.cancelTaskRefs) cancelTask.run(i.id, ref);
    for (const t of c.createTasks) {
      insertTask.run(
        t.id, t.instanceId, t.ref, t.elementId, t.name, t.jurisdiction, t.processKey, t.formKey, json(t.candidateGroups),
        t.assignee, t.status, json(t.data), json(t.locals), t.createdAt, t.due, t.completedAt, t.completedBy, t.version,
      );
      // A task copied from another store may be in a 加签 chain.
      if (t.signers?.length) writeSigners(db, t.id, t.signers);
      for (const g of t.candidateGroups) insertTaskGroup.run(t.id, g);
    }
    for (const h of c.history) insertHistory.run(h.instanceId, h.elementId, h.name, h.type, h.at, h.by, json(h.data));
    deleteTimers.run(i.id);
    for (const t of c.timers) insertTimer.run(t.instanceId, t.ref, t.elementId, t.dueAt);
    deleteSubscriptions.run(i.id);
    for (const s of c.subscriptions) insertSubscription.run(s.instanceId, s.ref, s.elementId, s.messageName, s.correlationKey);
    for (const id of c.consumeMessageIds) {
      if (deleteMessage.run(id).changes !== 1) throw new ConflictError(`message ${id} was already consumed`);
    }
    for (const r of c.results) insertResult.run(r.id, r.jurisdiction, r.instanceId, r.title, json(r.content), r.publishedAt);
    for (const a of c.audit) appendAudit(a);
    if (c.notifications) writeNotifications(c.notifications);
    writeJobs(c);
  });

  let pending: Pending[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    const failures = new Map<Pending, unknown>();
    try {
      db.transaction(() => {
        for (const p of batch) {
          try {
            applyOne(p.change);
          } catch (err) {
            // An error SQLite answers by rolling back the whole transaction fails the whole batch.
            if (!db.inTransaction) throw err;
            failures.set(p, err);
          }
        }
      })();
    } catch (err) {
      // The batch did not commit: nothing of it was written.
      for (const p of batch) p.reject(err);
      return;
    }
    for (const p of batch) (failures.has(p) ? p.reject(failures.get(p)) : p.resolve());
  };

  return (change) =>
    new Promise<void>((resolve, reject) => {
      if (pending.push({ change, resolve, reject }) === 1) setImmediate(flush);
    });
}
