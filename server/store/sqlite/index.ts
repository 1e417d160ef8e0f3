// Embedded store: one SQLite file (WAL, synchronous=FULL so an acknowledged write survives a crash).
import Database from 'better-sqlite3';
import { migrations } from './migrations.js';
import { caseFields, caseMatch, sqliteCases, taskCaseMatch, writeCase } from './cases.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { parentsFirst } from '../tree.js';
import {
  ConflictError,
  type AuditEntry,
  type BufferedMessage,
  type DefinitionRecord,
  type FormRecord,
  type HistoryEntry,
  type InstanceRecord,
  type JurisdictionRecord,
  type Page,
  type PublishedResult,
  type StepChange,
  type Store,
  type SubscriptionRecord,
  type TaskRecord,
  type TimerRecord,
  type UserRecord,
} from '../index.js';

type Row = Record<string, any>;

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
const parse = <T>(text: string | null): T => (text == null ? (null as T) : (JSON.parse(text) as T));
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

function migrate(db: Database.Database) {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as Row).v ?? 0;
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
    })();
  }
}

const toJurisdiction = (r: Row): JurisdictionRecord => ({
  id: r.id,
  name: r.name,
  parent: r.parent,
  parameters: parse(r.parameters),
  vocabulary: parse(r.vocabulary),
  ...(r.extra ? { extra: parse(r.extra) } : {}),
});
const toDefinition = (r: Row): DefinitionRecord => ({
  jurisdiction: r.jurisdiction,
  key: r.key,
  version: r.version,
  name: r.name,
  xml: r.xml,
  createdAt: r.created_at,
  createdBy: r.created_by,
});
const toForm = (r: Row): FormRecord => ({
  jurisdiction: r.jurisdiction,
  formKey: r.form_key,
  version: r.version,
  doc: parse(r.doc),
  createdAt: r.created_at,
  createdBy: r.created_by,
});
const toUser = (r: Row): UserRecord => ({
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  memberships: parse(r.memberships),
  createdAt: r.created_at,
});
const toInstance = (r: Row): InstanceRecord => ({
  id: r.id,
  jurisdiction: r.jurisdiction,
  processKey: r.process_key,
  version: r.version,
  definedAt: r.defined_at,
  status: r.status,
  startedAt: r.started_at,
  startedBy: r.started_by,
  endedAt: r.ended_at,
  variables: parse(r.variables),
  params: parse(r.params),
  active: parse(r.active),
  incident: parse(r.incident),
  engineState: parse(r.engine_state),
  revision: r.revision,
  ...caseFields(r),
});
const toTask = (r: Row): TaskRecord => ({
  id: r.id,
  instanceId: r.instance_id,
  ref: r.ref,
  elementId: r.element_id,
  name: r.name,
  jurisdiction: r.jurisdiction,
  processKey: r.process_key,
  formKey: r.form_key,
  candidateGroups: parse(r.candidate_groups),
  assignee: r.assignee,
  status: r.status,
  data: parse(r.data),
  createdAt: r.created_at,
  due: r.due,
  completedAt: r.completed_at,
  completedBy: r.completed_by,
  version: r.version,
});
const toHistory = (r: Row): HistoryEntry => ({
  instanceId: r.instance_id,
  elementId: r.element_id,
  name: r.name,
  type: r.type,
  at: r.at,
  by: r.by,
  data: parse(r.data),
});
const toTimer = (r: Row): TimerRecord => ({ instanceId: r.instance_id, ref: r.ref, elementId: r.element_id, dueAt: r.due_at });
const toSubscription = (r: Row): SubscriptionRecord => ({
  instanceId: r.instance_id,
  ref: r.ref,
  elementId: r.element_id,
  messageName: r.message_name,
  correlationKey: r.correlation_key,
});
const toMessage = (r: Row): BufferedMessage => ({
  id: r.id,
  name: r.name,
  correlationKey: r.correlation_key,
  variables: parse(r.variables),
  expiresAt: r.expires_at,
});
const toResult = (r: Row): PublishedResult => ({
  id: r.id,
  jurisdiction: r.jurisdiction,
  instanceId: r.instance_id,
  title: r.title,
  content: parse(r.content),
  publishedAt: r.published_at,
});
const toAudit = (r: Row): AuditEntry & { id: string } => ({
  id: String(r.seq),
  at: r.at,
  actor: r.actor,
  action: r.action,
  jurisdiction: r.jurisdiction,
  targetType: r.target_type,
  targetId: r.target_id,
  instanceId: r.instance_id,
  beforeVersion: r.before_version,
  afterVersion: r.after_version,
  detail: parse(r.detail),
});

/** Keyset page over (sortColumn, id), newest first unless asked for ascending order. */
function page<T>(
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

export function openSqliteStore(file: string): Store {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const auditInsert = db.prepare(
    `INSERT INTO audit (at, actor, action, jurisdiction, target_type, target_id, instance_id, before_version, after_version, detail)
     VALUES (?,?,?,?,?,?,?,?,?,?)`,
  );
  const appendAudit = (e: AuditEntry) =>
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

  const insertDefinition = (d: DefinitionRecord) =>
    db
      .prepare('INSERT INTO definitions (jurisdiction, key, version, name, xml, created_at, created_by) VALUES (?,?,?,?,?,?,?)')
      .run(d.jurisdiction, d.key, d.version, d.name, d.xml, d.createdAt, d.createdBy);
  const insertForm = (f: FormRecord) =>
    db
      .prepare('INSERT INTO forms (jurisdiction, form_key, version, doc, created_at, created_by) VALUES (?,?,?,?,?,?)')
      .run(f.jurisdiction, f.formKey, f.version, json(f.doc), f.createdAt, f.createdBy);

  /** Versioned items (definitions, forms): per jurisdiction and key, the latest one wins. */
  function versioned<T extends { jurisdiction: string; version: number }>(
    table: 'definitions' | 'forms',
    keyColumn: 'key' | 'form_key',
    keyOf: (item: T) => string,
    map: (r: Row) => T,
    insert: (item: T) => unknown,
  ) {
    const latestVersion = (jurisdiction: string, key: string) =>
      ((db.prepare(`SELECT MAX(version) AS v FROM ${table} WHERE jurisdiction = ? AND ${keyColumn} = ?`).get(jurisdiction, key) as Row).v ?? 0) as number;
    return {
      async latest(jurisdiction: string, key: string) {
        const r = db.prepare(`SELECT * FROM ${table} WHERE jurisdiction=? AND ${keyColumn}=? ORDER BY version DESC LIMIT 1`).get(jurisdiction, key) as Row | undefined;
        return r ? map(r) : null;
      },
      async get(jurisdiction: string, key: string, version: number) {
        const r = db.prepare(`SELECT * FROM ${table} WHERE jurisdiction=? AND ${keyColumn}=? AND version=?`).get(jurisdiction, key, version) as Row | undefined;
        return r ? map(r) : null;
      },
      async listLatest(jurisdiction: string) {
        return (
          db
            .prepare(
              `SELECT t.* FROM ${table} t JOIN (SELECT ${keyColumn} AS k, MAX(version) AS v FROM ${table} WHERE jurisdiction=? GROUP BY ${keyColumn}) m
               ON t.${keyColumn} = m.k AND t.version = m.v WHERE t.jurisdiction=? ORDER BY t.${keyColumn}`,
            )
            .all(jurisdiction, jurisdiction) as Row[]
        ).map(map);
      },
      /** Inserts when the own latest is still the expected one, atomically with its audit entry. */
      async create(item: T, expectedLatest: number, audit: AuditEntry) {
        db.transaction(() => {
          const latest = latestVersion(item.jurisdiction, keyOf(item));
          if (latest !== expectedLatest) throw new ConflictError(`version ${expectedLatest} is stale: the latest is ${latest}`);
          insert(item);
          appendAudit(audit);
        })();
      },
    };
  }
  const definitionsRepo = versioned('definitions', 'key', (d: DefinitionRecord) => d.key, toDefinition, insertDefinition);
  const formsRepo = versioned('forms', 'form_key', (f: FormRecord) => f.formKey, toForm, insertForm);

  const replaceTaskGroups = (taskId: string, groups: string[]) => {
    const ins = db.prepare('INSERT OR IGNORE INTO task_groups (task_id, grp) VALUES (?, ?)');
    for (const g of groups) ins.run(taskId, g);
  };

  const applyStep = db.transaction((c: StepChange) => {
    const i = c.instance;
    if (c.expectedRevision === null) {
      db.prepare(
        `INSERT INTO instances (id, jurisdiction, process_key, version, defined_at, status, started_at, started_by, ended_at,
          variables, params, active, incident, engine_state, revision) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      ).run(
        i.id, i.jurisdiction, i.processKey, i.version, i.definedAt, i.status, i.startedAt, i.startedBy, i.endedAt,
        json(i.variables), json(i.params), json(i.active), json(i.incident), json(i.engineState), i.revision,
      );
    } else {
      const res = db
        .prepare(
          `UPDATE instances SET status=?, ended_at=?, variables=?, active=?, incident=?, engine_state=?, revision=?
           WHERE id=? AND revision=?`,
        )
        .run(i.status, i.endedAt, json(i.variables), json(i.active), json(i.incident), json(i.engineState), i.revision, i.id, c.expectedRevision);
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
        assignee, status, data, created_at, due, completed_at, completed_by, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    for (const t of c.createTasks) {
      insTask.run(
        t.id, t.instanceId, t.ref, t.elementId, t.name, t.jurisdiction, t.processKey, t.formKey, json(t.candidateGroups),
        t.assignee, t.status, json(t.data), t.createdAt, t.due, t.completedAt, t.completedBy, t.version,
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
  });

  let messageSeq = 0;

  const store: Store = {
    kind: 'sqlite',
    async close() {
      db.close();
    },
    async isEmpty() {
      return (db.prepare('SELECT COUNT(*) AS n FROM jurisdictions').get() as Row).n === 0;
    },
    async *dump() {
      const all = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as Row[];
      for (const j of parentsFirst(all('SELECT * FROM jurisdictions').map(toJurisdiction), (j) => j)) {
        yield {
          ruleSet: {
            jurisdiction: j,
            definitions: all('SELECT * FROM definitions WHERE jurisdiction=? ORDER BY key, version', j.id).map(toDefinition),
            forms: all('SELECT * FROM forms WHERE jurisdiction=? ORDER BY form_key, version', j.id).map(toForm),
            audit: [],
          },
        };
      }
      for (const u of all('SELECT * FROM users ORDER BY username')) yield { user: toUser(u) };
      for (const r of db.prepare('SELECT * FROM instances ORDER BY started_at, id').iterate() as IterableIterator<Row>) {
        yield {
          instance: {
            instance: toInstance(r),
            tasks: all('SELECT * FROM tasks WHERE instance_id=? ORDER BY created_at, id', r.id).map(toTask),
            history: all('SELECT * FROM history WHERE instance_id=? ORDER BY seq', r.id).map(toHistory),
            timers: all('SELECT * FROM timers WHERE instance_id=?', r.id).map(toTimer),
            subscriptions: all('SELECT * FROM subscriptions WHERE instance_id=?', r.id).map(toSubscription),
            results: all('SELECT * FROM results WHERE instance_id=?', r.id).map(toResult),
          },
        };
      }
      for (const m of all('SELECT * FROM messages ORDER BY created_seq')) yield { message: toMessage(m) };
      for (const a of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>) {
        const { id: _id, ...entry } = toAudit(a);
        yield { audit: entry };
      }
    },
    jurisdictions: {
      async list() {
        return (db.prepare('SELECT * FROM jurisdictions ORDER BY id').all() as Row[]).map(toJurisdiction);
      },
      async get(id) {
        const r = db.prepare('SELECT * FROM jurisdictions WHERE id = ?').get(id) as Row | undefined;
        return r ? toJurisdiction(r) : null;
      },
    },
    async importRuleSet(w) {
      db.transaction(() => {
        const j = w.jurisdiction;
        db.prepare(
          `INSERT INTO jurisdictions (id, name, parent, parameters, vocabulary, extra) VALUES (?,?,?,?,?,?)
           ON CONFLICT(id) DO UPDATE SET name=excluded.name, parent=excluded.parent, parameters=excluded.parameters,
           vocabulary=excluded.vocabulary, extra=excluded.extra`,
        ).run(j.id, j.name, j.parent, json(j.parameters), json(j.vocabulary), json(j.extra ?? null));
        for (const d of w.definitions) insertDefinition(d);
        for (const f of w.forms) insertForm(f);
        for (const a of w.audit) appendAudit(a);
      })();
    },
    definitions: {
      ...definitionsRepo,
      async versions(jurisdiction, key) {
        return (
          db
            .prepare('SELECT jurisdiction, key, version, name, created_at, created_by FROM definitions WHERE jurisdiction=? AND key=? ORDER BY version')
            .all(jurisdiction, key) as Row[]
        ).map((r) => {
          const { xml: _xml, ...rest } = toDefinition({ ...r, xml: '' });
          return rest;
        });
      },
    },
    forms: formsRepo,
    users: {
      async get(username) {
        const r = db.prepare('SELECT * FROM users WHERE username=?').get(username) as Row | undefined;
        return r ? toUser(r) : null;
      },
      async list() {
        return (db.prepare('SELECT * FROM users ORDER BY username').all() as Row[]).map(toUser);
      },
      async create(u, audit) {
        db.transaction(() => {
          const res = db
            .prepare('INSERT OR IGNORE INTO users (username, display_name, password_hash, memberships, created_at) VALUES (?,?,?,?,?)')
            .run(u.username, u.displayName, u.passwordHash, json(u.memberships), u.createdAt);
          if (res.changes !== 1) throw new ConflictError(`user ${u.username} exists`);
          appendAudit(audit);
        })();
      },
      async update(u, audit) {
        db.transaction(() => {
          db.prepare('UPDATE users SET display_name=?, password_hash=?, memberships=? WHERE username=?').run(
            u.displayName, u.passwordHash, json(u.memberships), u.username,
          );
          appendAudit(audit);
        })();
      },
      async remove(username, audit) {
        db.transaction(() => {
          db.prepare('DELETE FROM users WHERE username=?').run(username);
          db.prepare('DELETE FROM sessions WHERE username=?').run(username);
          appendAudit(audit);
        })();
      },
    },
    sessions: {
      async create(tokenHash, username, expiresAt) {
        db.prepare('INSERT INTO sessions (token_hash, username, expires_at) VALUES (?,?,?)').run(tokenHash, username, expiresAt);
      },
      async get(tokenHash) {
        const r = db.prepare('SELECT username, expires_at FROM sessions WHERE token_hash=?').get(tokenHash) as Row | undefined;
        return r ? { username: r.username, expiresAt: r.expires_at } : null;
      },
      async remove(tokenHash) {
        db.prepare('DELETE FROM sessions WHERE token_hash=?').run(tokenHash);
      },
    },
    instances: {
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
        if (q.q) {
          const m = caseMatch(q.q);
          (where.push(m.sql), params.push(...m.params));
        }
        return page(db, { from: 'instances', where, params, sort: 'started_at', id: 'id' }, q, toInstance, (r) => r.started_at);
      },
      async history(id) {
        return (db.prepare('SELECT * FROM history WHERE instance_id=? ORDER BY seq').all(id) as Row[]).map(toHistory);
      },
      async applyStep(change) {
        applyStep(change);
      },
    },
    cases: sqliteCases(db, page, toTask),
    tasks: {
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
        if (q.assignee !== undefined) {
          if (q.assignee === null) where.push('t.assignee IS NULL');
          else (where.push('t.assignee = ?'), params.push(q.assignee));
        }
        if (q.candidateGroups) {
          // Correlated, so SQLite walks the tasks in page order and probes the group of each.
          where.push(`EXISTS (SELECT 1 FROM task_groups g WHERE g.grp IN (${placeholders(q.candidateGroups.length)}) AND g.task_id = t.id)`);
          params.push(...q.candidateGroups);
        }
        if (q.overdueAt) (where.push('t.due IS NOT NULL AND t.due < ?'), params.push(q.overdueAt));
        if (q.instanceId) (where.push('t.instance_id = ?'), params.push(q.instanceId));
        if (q.q) {
          const m = taskCaseMatch(q.q);
          (where.push(m.sql), params.push(...m.params));
        }
        // Overdue lists run most overdue first, along the (status, due) index.
        return q.overdueAt
          ? page(db, { from: 'tasks t', where, params, sort: 't.due', id: 't.id', ascending: true }, q, toTask, (r) => r.due)
          : page(db, { from: 'tasks t', where, params, sort: 't.created_at', id: 't.id' }, q, toTask, (r) => r.created_at);
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
    },
    timers: {
      async due(now, limit) {
        return (db.prepare('SELECT * FROM timers WHERE due_at <= ? ORDER BY due_at LIMIT ?').all(now, limit) as Row[]).map(toTimer);
      },
    },
    messages: {
      async findSubscription(name, correlationKey) {
        const r = db.prepare('SELECT * FROM subscriptions WHERE message_name=? AND correlation_key=? LIMIT 1').get(name, correlationKey) as
          | Row
          | undefined;
        return r ? toSubscription(r) : null;
      },
      async buffer(m) {
        db.prepare('INSERT INTO messages (id, name, correlation_key, variables, expires_at, created_seq) VALUES (?,?,?,?,?,?)').run(
          m.id, m.name, m.correlationKey, json(m.variables), m.expiresAt, Date.now() * 1000 + (messageSeq++ % 1000),
        );
      },
      async matching(subs, now) {
        const found: BufferedMessage[] = [];
        const q = db.prepare('SELECT * FROM messages WHERE name=? AND correlation_key=? AND expires_at > ? ORDER BY created_seq');
        for (const s of subs) found.push(...(q.all(s.messageName, s.correlationKey, now) as Row[]).map(toMessage));
        return found;
      },
    },
    results: {
      async list(jurisdictions, q) {
        return page(
          db,
          { from: 'results', where: [`jurisdiction IN (${placeholders(jurisdictions.length)})`], params: jurisdictions, sort: 'published_at', id: 'id' },
          q,
          toResult,
          (r) => r.published_at,
        );
      },
    },
    audit: {
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
    },
  };
  return store;
}
