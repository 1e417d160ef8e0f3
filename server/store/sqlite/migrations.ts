// Schema migrations, versioned in code: each entry runs once, in order, inside a transaction.
export const migrations: string[] = [
  `
  CREATE TABLE jurisdictions (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, parent TEXT REFERENCES jurisdictions(id),
    parameters TEXT NOT NULL, vocabulary TEXT NOT NULL, extra TEXT
  );
  CREATE TABLE definitions (
    jurisdiction TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,
    xml TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    PRIMARY KEY (jurisdiction, key, version)
  );
  CREATE TABLE forms (
    jurisdiction TEXT NOT NULL, form_key TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    PRIMARY KEY (jurisdiction, form_key, version)
  );
  CREATE TABLE users (
    username TEXT PRIMARY KEY, display_name TEXT NOT NULL, password_hash TEXT NOT NULL,
    memberships TEXT NOT NULL, created_at TEXT NOT NULL
  );
  CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, expires_at TEXT NOT NULL);
  CREATE TABLE instances (
    id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL, process_key TEXT NOT NULL, version INTEGER NOT NULL,
    defined_at TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, started_by TEXT NOT NULL,
    ended_at TEXT, variables TEXT NOT NULL, params TEXT NOT NULL, active TEXT NOT NULL, incident TEXT,
    engine_state TEXT, revision INTEGER NOT NULL
  );
  CREATE INDEX instances_by_jurisdiction ON instances (jurisdiction, started_at, id);
  CREATE TABLE tasks (
    id TEXT PRIMARY KEY, instance_id TEXT NOT NULL, ref TEXT NOT NULL, element_id TEXT NOT NULL,
    name TEXT NOT NULL, jurisdiction TEXT NOT NULL, process_key TEXT NOT NULL, form_key TEXT,
    candidate_groups TEXT NOT NULL, assignee TEXT, status TEXT NOT NULL, data TEXT,
    created_at TEXT NOT NULL, due TEXT, completed_at TEXT, completed_by TEXT, version INTEGER NOT NULL,
    UNIQUE (instance_id, ref)
  );
  CREATE INDEX tasks_by_status ON tasks (jurisdiction, status, created_at, id);
  CREATE INDEX tasks_by_instance ON tasks (instance_id, status);
  CREATE TABLE task_groups (task_id TEXT NOT NULL, grp TEXT NOT NULL, PRIMARY KEY (grp, task_id));
  CREATE TABLE history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, element_id TEXT NOT NULL,
    name TEXT NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, by TEXT, data TEXT
  );
  CREATE INDEX history_by_instance ON history (instance_id, seq);
  CREATE TABLE timers (
    instance_id TEXT NOT NULL, ref TEXT NOT NULL, element_id TEXT NOT NULL, due_at TEXT NOT NULL,
    PRIMARY KEY (instance_id, ref)
  );
  CREATE INDEX timers_by_due ON timers (due_at);
  CREATE TABLE subscriptions (
    instance_id TEXT NOT NULL, ref TEXT NOT NULL, element_id TEXT NOT NULL, message_name TEXT NOT NULL,
    correlation_key TEXT NOT NULL, PRIMARY KEY (instance_id, ref)
  );
  CREATE INDEX subscriptions_by_message ON subscriptions (message_name, correlation_key);
  CREATE TABLE messages (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, correlation_key TEXT NOT NULL, variables TEXT NOT NULL,
    expires_at TEXT NOT NULL, created_seq INTEGER NOT NULL
  );
  CREATE INDEX messages_by_key ON messages (name, correlation_key, expires_at);
  CREATE TABLE results (
    id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL, instance_id TEXT NOT NULL, title TEXT NOT NULL,
    content TEXT NOT NULL, published_at TEXT NOT NULL
  );
  CREATE INDEX results_by_jurisdiction ON results (jurisdiction, published_at, id);
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    jurisdiction TEXT, target_type TEXT NOT NULL, target_id TEXT NOT NULL, instance_id TEXT,
    before_version INTEGER, after_version INTEGER, detail TEXT
  );
  CREATE INDEX audit_by_instance ON audit (instance_id, seq);
  CREATE INDEX audit_by_jurisdiction ON audit (jurisdiction, seq);
  `,
  // Task lists as the UI asks for them, newest first, across several jurisdictions: an index that
  // yields rows already in (created_at, id) order per status, per assignee and per group, so a page
  // is a short index walk at any depth instead of a sort of every matching task.
  `
  CREATE INDEX tasks_by_status_time ON tasks (status, created_at, id);
  CREATE INDEX tasks_by_assignee ON tasks (assignee, status, created_at, id);
  CREATE INDEX tasks_by_due ON tasks (status, due);
  `,
  // Ledger numbers and case summaries (server/store/sqlite/cases.ts): instances that exist already
  // are numbered in the order they were opened, per jurisdiction and (Beijing-time) year.
  `
  ALTER TABLE instances ADD COLUMN case_year INTEGER;
  ALTER TABLE instances ADD COLUMN case_seq INTEGER;
  ALTER TABLE instances ADD COLUMN case_no TEXT;
  ALTER TABLE instances ADD COLUMN title TEXT;
  ALTER TABLE instances ADD COLUMN reporter TEXT;
  ALTER TABLE instances ADD COLUMN category TEXT;
  ALTER TABLE instances ADD COLUMN class TEXT;
  UPDATE instances SET case_year = CAST(strftime('%Y', started_at, '+8 hours') AS INTEGER);
  UPDATE instances SET case_seq = n.seq FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY jurisdiction, case_year ORDER BY started_at, id) AS seq FROM instances
  ) AS n WHERE n.id = instances.id;
  UPDATE instances SET case_no = case_year || '-' || printf('%04d', case_seq);
  CREATE UNIQUE INDEX instances_by_case_no ON instances (jurisdiction, case_year, case_seq);
  `,
  // Jurisdictions carry their own version (0: none yet), so saves from the rule-set editor detect
  // stale edits; those already stored count as their first version.
  `
  ALTER TABLE jurisdictions ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  UPDATE jurisdictions SET version = 1;
  `,
  // What a task sees beyond the process's variables (a multi-instance task's element).
  `ALTER TABLE tasks ADD COLUMN locals TEXT;`,
  // Attachments: the bytes in chunks of their own table (a row per received chunk, never one big
  // value in memory), the record written last. Notifications with an audience per row, read marks
  // per user, and the outbox of deliveries through outbound channels.
  `
  CREATE TABLE attachments (
    id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,
    content_type TEXT NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL
  );
  CREATE TABLE attachment_chunks (attachment_id TEXT NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (attachment_id, n));
  CREATE TABLE notifications (
    id TEXT PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL,
    jurisdiction TEXT NOT NULL, instance_id TEXT, task_id TEXT, audience TEXT NOT NULL
  );
  CREATE TABLE notification_audience (notification_id TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (who, at, notification_id));
  CREATE TABLE notification_reads (notification_id TEXT NOT NULL, username TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (notification_id, username));
  CREATE TABLE deliveries (
    id TEXT PRIMARY KEY, notification_id TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
    next_at TEXT NOT NULL, claimed_until TEXT, last_error TEXT, sent_at TEXT
  );
  CREATE INDEX deliveries_due ON deliveries (status, next_at);
  `,
  // 我发起的 and 已办: a user's started cases and completed tasks, newest first.
  `
  CREATE INDEX instances_by_starter ON instances (started_by, started_at, id);
  CREATE INDEX tasks_by_completer ON tasks (completed_by, created_at, id);
  `,
  // Call activities: a child instance knows its parent and the call waiting for it.
  `
  ALTER TABLE instances ADD COLUMN parent_id TEXT;
  ALTER TABLE instances ADD COLUMN parent_ref TEXT;
  CREATE INDEX instances_by_parent ON instances (parent_id);
  `,
  // Timer start events: the next firing per jurisdiction and process.
  `
  CREATE TABLE start_schedules (
    jurisdiction TEXT NOT NULL, process_key TEXT NOT NULL, definition TEXT NOT NULL, due_at TEXT, repeat TEXT,
    PRIMARY KEY (jurisdiction, process_key)
  );
  `,
  // Jobs for external workers (Camunda's job API): the key is Zeebe's int64 job key, one job per
  // waiting element instance; activation walks (type, state) oldest first.
  `
  CREATE TABLE jobs (
    key INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, ref TEXT NOT NULL, element_id TEXT NOT NULL,
    jurisdiction TEXT NOT NULL, process_key TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,
    retries INTEGER NOT NULL, headers TEXT NOT NULL, locals TEXT, state TEXT NOT NULL, worker TEXT, deadline TEXT,
    retry_at TEXT, error_message TEXT, created_at TEXT NOT NULL,
    UNIQUE (instance_id, ref)
  );
  CREATE INDEX jobs_by_type ON jobs (type, state, key);
  CREATE TABLE service_tokens (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, jurisdictions TEXT NOT NULL,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, revoked_at TEXT
  );
  `,
  // DMN documents deployed beside the diagrams (business rule tasks call their decisions).
  `
  CREATE TABLE decisions (
    jurisdiction TEXT NOT NULL, key TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,
    xml TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    PRIMARY KEY (jurisdiction, key, version)
  );
  `,
  // Leases: who holds a piece of shared work (a scheduler's due work, a feed) until when.
  `
  CREATE TABLE leases (key TEXT PRIMARY KEY, owner TEXT NOT NULL, until TEXT NOT NULL);
  CREATE TABLE generations (name TEXT PRIMARY KEY, token TEXT NOT NULL);
  `,
  // 加签: who still has to approve a task beside its assignee (kept with the task; task_signers is
  // its index, so that the task is in their 待办 too).
  `
  ALTER TABLE tasks ADD COLUMN signers TEXT;
  CREATE TABLE task_signers (task_id TEXT NOT NULL, username TEXT NOT NULL, PRIMARY KEY (username, task_id));
  CREATE INDEX task_signers_by_task ON task_signers (task_id);
  `,
];
