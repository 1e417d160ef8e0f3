// Jobs for external workers: written with the engine step that opens or ends them, taken by
// workers with a conditional update inside one transaction (one worker per job and activation).
import type Database from 'better-sqlite3';
import { ConflictError, type JobChange, type JobRecord, type StepChange, type Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { json, parse, placeholders, type Row } from './rows.js';

export const toJob = (r: Row): JobRecord => ({
  key: String(r.key), instanceId: r.instance_id, ref: r.ref, elementId: r.element_id, jurisdiction: r.jurisdiction,
  processKey: r.process_key, version: r.version, type: r.type, retries: r.retries, headers: parse(r.headers),
  locals: parse(r.locals), state: r.state, worker: r.worker, deadline: r.deadline, retryAt: r.retry_at,
  errorMessage: r.error_message, createdAt: r.created_at,
});

/** What a worker may take at @now: waiting, failed with retries left and back-off passed, or timed out. */
const ACTIVATABLE = `(state = 'activatable' OR (state = 'failed' AND retries > 0 AND retry_at <= @now) OR (state = 'activated' AND deadline <= @now))`;
const GUARDS: Record<JobChange['from'], string> = {
  open: `(state IN ('activatable', 'activated') OR (state = 'failed' AND retries > 0 AND retry_at <= @now))`,
  stuck: `((state = 'failed' AND retries <= 0) OR state = 'errorThrown')`,
};

/** A guarded change of one job; returns whether it applied. */
function changer(db: Database.Database) {
  return (c: JobChange): boolean =>
    db
      .prepare(
        `UPDATE jobs SET state=@state, retries=COALESCE(@retries, retries), error_message=@errorMessage, retry_at=@retryAt, worker=NULL, deadline=NULL
         WHERE key=@key AND ${GUARDS[c.from]}`,
      )
      .run({ key: Number(c.key), now: c.now, state: c.set.state, retries: c.set.retries ?? null, errorMessage: c.set.errorMessage ?? null, retryAt: c.set.retryAt ?? null })
      .changes === 1;
}

/** The jobs part of an engine step, inside its transaction. */
export function jobStepWriter(db: Database.Database) {
  const change = changer(db);
  const insert = db.prepare(
    `INSERT INTO jobs (instance_id, ref, element_id, jurisdiction, process_key, version, type, retries, headers, locals, state, created_at)
     VALUES (?,?,?,?,?,?,?,?,?,?,'activatable',?)
     ON CONFLICT (instance_id, ref) DO UPDATE SET locals=excluded.locals, element_id=excluded.element_id, version=excluded.version`,
  );
  const insertWhole = db.prepare(
    `INSERT INTO jobs (key, instance_id, ref, element_id, jurisdiction, process_key, version, type, retries, headers, locals, state, worker, deadline, retry_at, error_message, created_at)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  return (c: StepChange) => {
    if (c.jobChange && !change(c.jobChange)) throw new ConflictError(`job ${c.jobChange.key} changed meanwhile`);
    if (!c.jobs) return;
    const id = c.instance.id;
    const refs = c.jobs.map((j) => j.ref);
    db.prepare(`DELETE FROM jobs WHERE instance_id=? AND ref NOT IN (${placeholders(refs.length)})`).run(id, ...refs);
    for (const j of c.jobs) {
      if ('key' in j) {
        insertWhole.run(
          Number(j.key), j.instanceId, j.ref, j.elementId, j.jurisdiction, j.processKey, j.version, j.type, j.retries, json(j.headers), json(j.locals),
          j.state, j.worker, j.deadline, j.retryAt, j.errorMessage, j.createdAt,
        );
      } else {
        insert.run(j.instanceId, j.ref, j.elementId, j.jurisdiction, j.processKey, j.version, j.type, j.retries, json(j.headers), json(j.locals), j.createdAt);
      }
    }
  };
}

export function jobsRepository(db: Database.Database, appendAudit: AppendAudit): Store['jobs'] {
  const change = changer(db);
  const take = db.transaction((q: Parameters<Store['jobs']['activate']>[0], audit: Parameters<Store['jobs']['activate']>[1]): JobRecord[] => {
    if (!q.jurisdictions.length || q.max < 1) return [];
    const rows = db
      .prepare(`SELECT key FROM jobs WHERE type=@type AND ${ACTIVATABLE} AND jurisdiction IN (${placeholders(q.jurisdictions.length)}) ORDER BY key LIMIT @max`)
      .all(q.jurisdictions, { type: q.type, now: q.now, max: q.max }) as Row[];
    const activate = db.prepare(`UPDATE jobs SET state='activated', worker=?, deadline=?, retry_at=NULL WHERE key=? RETURNING *`);
    const taken = rows.map((r) => toJob(activate.get(q.worker, q.deadline, r.key) as Row));
    if (taken.length && audit) for (const entry of audit(taken)) appendAudit(entry);
    return taken;
  });
  return {
    async get(key) {
      if (!/^\d{1,18}$/.test(key)) return null;
      const row = db.prepare('SELECT * FROM jobs WHERE key=?').get(Number(key)) as Row | undefined;
      return row ? toJob(row) : null;
    },
    async activate(query, audit) {
      return take(query, audit);
    },
    async change(c) {
      return change(c);
    },
    async update(key, now, set) {
      const guard = set.deadline ? `state = 'activated' AND deadline > @now` : GUARDS.open;
      return db
        .prepare(`UPDATE jobs SET retries=COALESCE(@retries, retries), deadline=COALESCE(@deadline, deadline) WHERE key=@key AND ${guard}`)
        .run({ key: Number(key), now, retries: set.retries ?? null, deadline: set.deadline ?? null }).changes === 1;
    },
  };
}
