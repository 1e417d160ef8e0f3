// The Store port: repositories the domain needs, nothing more. Every adapter (sqlite, mongodb)
// implements it and passes test/contract/store.contract.ts. Over 300 lines on purpose: the whole
// contract (records, queries, repositories) is read in one place by whoever writes an adapter.
import type { JsonObject } from '../json.js';
import type { CasesRepo, CaseSummary } from './cases.js';

export type { Json, JsonObject } from '../json.js';

export interface Membership {
  jurisdiction: string;
  roles: string[];
}

export interface UserRecord {
  username: string;
  displayName: string;
  passwordHash: string;
  memberships: Membership[];
  createdAt: string;
}

export interface JurisdictionRecord {
  id: string;
  name: string;
  parent: string | null;
  parameters: JsonObject;
  vocabulary: Record<string, string>;
  /** Bumped by every save of the jurisdiction itself, from 1 (stored before versions existed: 1). */
  version?: number;
  /** Bundle members beyond the contract's, kept so a bundle round-trips. */
  extra?: JsonObject;
}

export interface DefinitionRecord {
  jurisdiction: string;
  key: string;
  version: number;
  name: string;
  xml: string;
  createdAt: string;
  createdBy: string;
}

/** A deployed DMN document (decision requirements graph): `key` is its definitions id, `name` its name. */
export type DecisionRecord = DefinitionRecord;

export interface FormRecord {
  jurisdiction: string;
  formKey: string;
  version: number;
  /** The whole form document: {schema, uiSchema, ...extra members such as FEEL rules}. */
  doc: JsonObject & { schema: JsonObject; uiSchema?: JsonObject };
  createdAt: string;
  createdBy: string;
}

export type InstanceStatus = 'active' | 'completed' | 'cancelled' | 'incident';

export interface Incident {
  elementId: string;
  message: string;
  at: string;
  /** The engine command to replay on retry (opaque to the store). */
  command?: JsonObject;
}

/** An element the instance waits at; one stopped by an incident says so (its ref, and its job's key when the job ran out of retries or its error went uncaught). */
export interface ActiveElement {
  elementId: string;
  name: string;
  dueAt?: string;
  incident?: { ref: string; message: string; at: string; job?: string };
}

export interface InstanceRecord {
  id: string;
  jurisdiction: string;
  processKey: string;
  version: number;
  /** Jurisdiction that holds the definition this instance runs (own or an ancestor). */
  definedAt: string;
  status: InstanceStatus;
  startedAt: string;
  startedBy: string;
  endedAt: string | null;
  variables: JsonObject;
  /** Rule-set parameters as they were when the instance started. */
  params: JsonObject;
  /** What the instance waits on; a timer also says when it falls due. */
  active: ActiveElement[];
  incident: Incident | null;
  /** Opaque engine state (embedded engine); null for engines that keep their own. */
  engineState: unknown;
  /** Bumped by every step: a step applies only over the revision it was computed from. */
  revision: number;
  /** A call activity's child: the parent instance and the ref of the call waiting for it. */
  parentId?: string | null;
  parentRef?: string | null;
  /** The ledger number (2026-0007), given by the store when the instance is first written. */
  no?: string | null;
  /** Title, reporter, category, class: the process's summary rule over the variables, after every step. */
  summary?: CaseSummary | null;
}

export type TaskStatus = 'open' | 'completed' | 'cancelled';

export interface TaskRecord {
  id: string;
  instanceId: string;
  /** The engine's handle for this wait (execution id / job key). */
  ref: string;
  elementId: string;
  name: string;
  jurisdiction: string;
  processKey: string;
  formKey: string | null;
  candidateGroups: string[];
  assignee: string | null;
  status: TaskStatus;
  data: JsonObject | null;
  /** The task's own variables (its scopes' locals, e.g. a multi-instance element); the process's are the instance's. */
  locals?: JsonObject;
  /** Added (加签) signers who have yet to act, beside the assignee (absent: none); CaseNote sets them. */
  signers?: string[];
  createdAt: string;
  due: string | null;
  completedAt: string | null;
  completedBy: string | null;
  version: number;
}

/**
 * A job for an external worker (Camunda's job API), as Zeebe's job state keeps it. `failed` with
 * retries left waits for its back-off (`retryAt`); with none it is an incident, like `errorThrown`
 * (an error nobody caught). An `activated` job past its deadline is activatable again (time-out).
 */
export type JobState = 'activatable' | 'activated' | 'failed' | 'errorThrown';

export interface JobRecord {
  /** A decimal integer (Zeebe's int64 job key), given by the store. */
  key: string;
  instanceId: string;
  /** The engine's handle for the wait (its element instance). */
  ref: string;
  elementId: string;
  jurisdiction: string;
  processKey: string;
  version: number;
  type: string;
  retries: number;
  headers: Record<string, string>;
  /** What the job sees beyond the process's variables (its scopes' locals). */
  locals: JsonObject | null;
  state: JobState;
  worker: string | null;
  deadline: string | null;
  retryAt: string | null;
  errorMessage: string | null;
  createdAt: string;
}

/** A job the step leaves waiting: created unless the instance has one for its ref (then its locals, element and version are refreshed: a migration). */
export type JobWrite = Omit<JobRecord, 'key' | 'state' | 'worker' | 'deadline' | 'retryAt' | 'errorMessage'>;

/**
 * A change of one job's state, guarded: `open` = activatable or activated at `now` (what a worker
 * may complete, fail or throw on), `stuck` = failed without retries or errorThrown (an incident).
 */
export interface JobChange {
  key: string;
  from: 'open' | 'stuck';
  now: string;
  set: { state: JobState; retries?: number; errorMessage?: string | null; retryAt?: string | null };
}

/** A bearer token an admin issued to a job worker: only its hash is kept. */
export interface ServiceTokenRecord {
  id: string;
  name: string;
  /** SHA-256 of the token, hex. */
  tokenHash: string;
  /** Where its jobs may come from (and their descendants). */
  jurisdictions: string[];
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

export interface HistoryEntry {
  instanceId: string;
  elementId: string;
  name: string;
  type: string;
  at: string;
  by: string | null;
  data: JsonObject | null;
}

export interface TimerRecord {
  instanceId: string;
  ref: string;
  elementId: string;
  dueAt: string;
}

export interface SubscriptionRecord {
  instanceId: string;
  ref: string;
  elementId: string;
  /** The message's name, or a signal's. */
  messageName: string;
  /** The message's correlation key; SIGNAL_KEY for a signal wait. */
  correlationKey: string;
}

/**
 * The correlation key a signal wait is stored with: a signal has none, and no message can carry
 * this one (publishing refuses control characters), so a message never reaches a signal wait.
 */
export const SIGNAL_KEY = '\u0000signal';

export interface BufferedMessage {
  id: string;
  name: string;
  correlationKey: string;
  variables: JsonObject;
  expiresAt: string;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  jurisdiction: string | null;
  targetType: string;
  targetId: string;
  instanceId?: string | null;
  beforeVersion?: number | null;
  afterVersion?: number | null;
  detail?: JsonObject | null;
}

export interface PublishedResult {
  id: string;
  jurisdiction: string;
  instanceId: string;
  title: string;
  content: JsonObject;
  publishedAt: string;
}

export interface AttachmentRecord {
  id: string;
  jurisdiction: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  createdAt: string;
  createdBy: string;
}

/** Bytes on their way into the store; size and sha256 are known once every chunk was read. */
export interface AttachmentUpload {
  chunks: AsyncIterable<Uint8Array>;
  summary(): { size: number; sha256: string };
}

export type NotificationKind = 'notice' | 'overdue' | 'reminder';

/** A message for people; immutable once stored, read marks are kept per user. */
export interface NotificationRecord {
  id: string;
  at: string;
  kind: NotificationKind;
  title: string;
  body: string;
  jurisdiction: string;
  instanceId: string | null;
  taskId: string | null;
  /** Who sees it: `user:<username>` or `<jurisdiction>#<group>`. */
  audience: string[];
}

export type DeliveryStatus = 'pending' | 'sent' | 'failed';

/** One notification on its way out through one channel (the outbox row). */
export interface DeliveryRecord {
  id: string;
  notificationId: string;
  /** The channel as configured: {type: 'email'|'wecom'|'dingtalk', to?, url?}. */
  channel: JsonObject;
  status: DeliveryStatus;
  attempts: number;
  /** When it may be tried (again). */
  nextAt: string;
  /** A sender holds it until then; after that another may take it over (it crashed). */
  claimedUntil: string | null;
  lastError: string | null;
  sentAt: string | null;
}

/** A notification and its outbox rows, stored together or not at all. */
export interface NotificationWrite {
  notification: NotificationRecord;
  deliveries: DeliveryRecord[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit: number;
  cursor?: string | null;
}

export interface TaskQuery extends PageQuery {
  jurisdictions?: string[];
  status?: TaskStatus;
  /** null: unclaimed; a username: assigned to them, or open and awaiting their 加签 approval (CaseNote signers). */
  assignee?: string | null;
  /** Only tasks whose candidate groups meet one of these. */
  candidateGroups?: string[];
  overdueAt?: string;
  instanceId?: string;
  /** Only tasks this user completed (已办). */
  completedBy?: string;
  /** Tasks of cases whose number, title or reporter contains this. */
  q?: string;
}

export interface StartSchedule {
  jurisdiction: string;
  processKey: string;
  /** The deployed version it was computed from ("definedAt/key/version"): a redeploy replaces it. */
  definition: string;
  /** The next firing; null once a date has passed or a cycle is spent. */
  dueAt: string | null;
  /** Cycles: repetitions left after the next (-1 = unbounded) and the interval. */
  repeat: { left: number; every: string } | null;
}

export interface InstanceQuery extends PageQuery {
  jurisdictions?: string[];
  processKey?: string;
  status?: InstanceStatus;
  /** The children of one instance (its call activities' instances). */
  parentId?: string;
  /** Only cases this user started (我发起的). */
  startedBy?: string;
  /** Only cases copied (抄送) to one of these reader keys (history entries of type CarbonCopy). */
  readers?: string[];
  /** Cases whose number, title or reporter contains this. */
  q?: string;
}

/**
 * An operation on a case beside the engine (转办, 委派, 抄送, 催办, 意见…): its history entries and
 * audit entry, and optionally a task handed to someone (guarded by the task's version, ConflictError
 * when it changed or is no longer open; `data` prefills its form).
 */
export interface CaseNote {
  instanceId: string;
  history: HistoryEntry[];
  audit: AuditEntry;
  /** A hand-over of the task; `signers` replaces who else must approve it (加签), absent: unchanged. */
  assign?: { taskId: string; expectedVersion: number; assignee: string | null; data?: JsonObject | null; signers?: string[] };
}

/** Everything one engine step changes, written atomically or not at all. */
export interface StepChange {
  instance: InstanceRecord;
  /** The revision the step was computed from; another writer in between → ConflictError. */
  expectedRevision: number | null;
  completeTask?: { id: string; expectedVersion: number; data: JsonObject; by: string; at: string };
  createTasks: TaskRecord[];
  cancelTaskRefs: string[];
  history: HistoryEntry[];
  timers: TimerRecord[];
  subscriptions: SubscriptionRecord[];
  consumeMessageIds: string[];
  results: PublishedResult[];
  audit: AuditEntry[];
  /** Notices the step raised (ids are deterministic: one already stored is left as it is). */
  notifications?: NotificationWrite[];
  /**
   * The instance's jobs after the step (others of the instance are gone: completed or cancelled);
   * absent: unchanged. A whole JobRecord (a store copy) is written as it is, key and state included.
   */
  jobs?: (JobWrite | JobRecord)[];
  /** A job's state changed with the step (a failure at 0 retries, a thrown error, a retry); guard fails → ConflictError. */
  jobChange?: JobChange;
}

export interface RuleSetWrite {
  jurisdiction: JurisdictionRecord;
  /** The jurisdiction's version the write was computed from (0: it is new); another save in between → ConflictError. Absent: unguarded (store copies). */
  expectedVersion?: number;
  definitions: DefinitionRecord[];
  forms: FormRecord[];
  /** DMN documents (absent: none). */
  decisions?: DecisionRecord[];
  audit: AuditEntry[];
}

/** One instance with everything that hangs off it, as moved between stores. */
export interface InstanceDump {
  instance: InstanceRecord;
  tasks: TaskRecord[];
  history: HistoryEntry[];
  timers: TimerRecord[];
  subscriptions: SubscriptionRecord[];
  results: PublishedResult[];
  jobs: JobRecord[];
}

/** The whole content of a store, item by item (parents before children), for migration and backup. */
export type DumpItem =
  | { ruleSet: RuleSetWrite }
  | { user: UserRecord }
  | { serviceToken: ServiceTokenRecord }
  | { instance: InstanceDump }
  | { message: BufferedMessage }
  /** The record only: store/copy.ts streams the bytes with attachments.read. */
  | { attachment: AttachmentRecord }
  | { notification: NotificationDump }
  | { audit: AuditEntry };

/** A notification with its outbox rows as they stand (sent, pending, failed) and who has read it. */
export interface NotificationDump extends NotificationWrite {
  readBy: { username: string; at: string }[];
}

export class ConflictError extends Error {}

export interface Store {
  readonly kind: string;
  close(): Promise<void>;
  isEmpty(): Promise<boolean>;
  /** Everything but sessions; store/copy.ts writes it into another store. */
  dump(): AsyncIterable<DumpItem>;

  jurisdictions: {
    list(): Promise<JurisdictionRecord[]>;
    get(id: string): Promise<JurisdictionRecord | null>;
    /** Changes with every rule-set write: a server holding the tree in memory reloads it when this moved. */
    generation(): Promise<string>;
  };
  /** Stores a whole rule set (jurisdiction + new versions of its items) atomically. */
  importRuleSet(write: RuleSetWrite): Promise<void>;

  definitions: {
    latest(jurisdiction: string, key: string): Promise<DefinitionRecord | null>;
    get(jurisdiction: string, key: string, version: number): Promise<DefinitionRecord | null>;
    /** Latest version of every key defined at the jurisdiction. */
    listLatest(jurisdiction: string): Promise<DefinitionRecord[]>;
    versions(jurisdiction: string, key: string): Promise<Omit<DefinitionRecord, 'xml'>[]>;
    /** Inserts def; ConflictError when the jurisdiction's own latest version is not expectedLatest (0: none). */
    create(def: DefinitionRecord, expectedLatest: number, audit: AuditEntry): Promise<void>;
    /** Inserts several (the processes of one BPMN file), each guarded as by create: all or none. */
    createAll(items: { item: DefinitionRecord; expectedLatest: number; audit: AuditEntry }[]): Promise<void>;
  };

  /** DMN documents, versioned per jurisdiction and key like definitions. */
  decisions: {
    latest(jurisdiction: string, key: string): Promise<DecisionRecord | null>;
    get(jurisdiction: string, key: string, version: number): Promise<DecisionRecord | null>;
    listLatest(jurisdiction: string): Promise<DecisionRecord[]>;
    create(decision: DecisionRecord, expectedLatest: number, audit: AuditEntry): Promise<void>;
  };

  forms: {
    latest(jurisdiction: string, formKey: string): Promise<FormRecord | null>;
    get(jurisdiction: string, formKey: string, version: number): Promise<FormRecord | null>;
    listLatest(jurisdiction: string): Promise<FormRecord[]>;
    create(form: FormRecord, expectedLatest: number, audit: AuditEntry): Promise<void>;
  };

  users: {
    get(username: string): Promise<UserRecord | null>;
    list(): Promise<UserRecord[]>;
    /** ConflictError when the username is taken. */
    create(user: UserRecord, audit: AuditEntry): Promise<void>;
    update(user: UserRecord, audit: AuditEntry): Promise<void>;
    remove(username: string, audit: AuditEntry): Promise<void>;
  };

  sessions: {
    create(tokenHash: string, username: string, expiresAt: string): Promise<void>;
    get(tokenHash: string): Promise<{ username: string; expiresAt: string } | null>;
    remove(tokenHash: string): Promise<void>;
  };

  instances: {
    get(id: string): Promise<InstanceRecord | null>;
    list(query: InstanceQuery): Promise<Page<InstanceRecord>>;
    history(id: string): Promise<HistoryEntry[]>;
    /** Applies one engine step atomically; ConflictError when a guard fails (nothing written). */
    applyStep(change: StepChange): Promise<void>;
    /**
     * Finishes the steps a server that died left half-written, and says how many (MongoDB, whose
     * steps are journaled; none where a step is one transaction). Every server's scheduler calls it:
     * a timer whose step was cut off is then due again even if that server never comes back.
     */
    recover(): Promise<number>;
    /** Records an operation on a case (see CaseNote); ConflictError when its task guard fails (nothing written). */
    note(note: CaseNote): Promise<void>;
  };

  cases: CasesRepo;

  tasks: {
    get(id: string): Promise<TaskRecord | null>;
    list(query: TaskQuery): Promise<Page<TaskRecord>>;
    /** Sets the assignee when the task is open at that version; ConflictError otherwise. */
    assign(id: string, expectedVersion: number, assignee: string | null, audit: AuditEntry): Promise<void>;
  };

  serviceTokens: {
    create(token: ServiceTokenRecord, audit: AuditEntry): Promise<void>;
    list(): Promise<ServiceTokenRecord[]>;
    byHash(tokenHash: string): Promise<ServiceTokenRecord | null>;
    /** Marks it revoked (once); false when there is no such live token. */
    revoke(id: string, at: string, audit: AuditEntry): Promise<boolean>;
  };

  jobs: {
    get(key: string): Promise<JobRecord | null>;
    /**
     * Takes up to `max` jobs of the type in these jurisdictions that are activatable at `now`
     * (waiting, back-off passed, or timed out), oldest first, for the worker until `deadline`.
     * `audit` names what the activation records when it took jobs: written with it (one transaction
     * on SQLite), not as a write of its own.
     */
    activate(
      query: { type: string; jurisdictions: string[]; worker: string; now: string; deadline: string; max: number },
      audit?: (taken: JobRecord[]) => AuditEntry[],
    ): Promise<JobRecord[]>;
    /** Applies a guarded change outside any step (a failure with retries left); false when the guard fails. */
    change(change: JobChange): Promise<boolean>;
    /** Zeebe's JobUpdateRetries / JobUpdateTimeout on an open job (a new deadline only while activated); false when not. */
    update(key: string, now: string, set: { retries?: number; deadline?: string }): Promise<boolean>;
  };

  timers: {
    /** Due timers, earliest first. */
    due(now: string, limit: number): Promise<TimerRecord[]>;
  };

  /** Timer start events: one schedule per jurisdiction and process, moved on by compare-and-set. */
  startSchedules: {
    list(): Promise<StartSchedule[]>;
    /**
     * Replaces the schedule of (jurisdiction, processKey) when it is still `expected` (same
     * definition and due time; null: none yet) and says whether it did: whoever moves a due time
     * on is the one that starts its instance, so each firing starts exactly one.
     */
    swap(expected: StartSchedule | null, next: StartSchedule): Promise<boolean>;
  };

  /**
   * Leases: one holder per key among all the processes sharing the store (a scheduler's due work, a
   * feed's consumer), until it releases the key or its lease runs out (it crashed). Times are ISO.
   */
  leases: {
    /** Takes the key for `owner` until `until` when it is free or its lease ran out by `now`; says whether it did. */
    acquire(key: string, owner: string, now: string, until: string): Promise<boolean>;
    /** Lets go of the key when `owner` still holds it. */
    release(key: string, owner: string): Promise<void>;
  };

  messages: {
    findSubscription(name: string, correlationKey: string): Promise<SubscriptionRecord | null>;
    /** Every open wait for the signal of this name, in every jurisdiction. */
    signalSubscriptions(name: string): Promise<SubscriptionRecord[]>;
    buffer(message: BufferedMessage): Promise<void>;
    /** Live (unexpired) buffered messages for any of these subscriptions, oldest first. */
    matching(subs: { messageName: string; correlationKey: string }[], now: string): Promise<BufferedMessage[]>;
  };

  results: {
    list(jurisdictions: string[], query: PageQuery): Promise<Page<PublishedResult>>;
  };

  attachments: {
    /** Streams the bytes in, then stores the record and its audit entry; nothing is kept when reading fails. */
    create(meta: Omit<AttachmentRecord, 'size' | 'sha256'>, upload: AttachmentUpload, audit: (a: AttachmentRecord) => AuditEntry): Promise<AttachmentRecord>;
    get(id: string): Promise<AttachmentRecord | null>;
    getMany(ids: string[]): Promise<AttachmentRecord[]>;
    /** The stored bytes, in order. */
    read(id: string): AsyncIterable<Uint8Array>;
  };

  notifications: {
    /** Stores each notification not stored yet (by id) with its deliveries; returns how many were new. */
    add(writes: NotificationWrite[]): Promise<number>;
    /** Notifications for any of these audience keys, newest first, with the user's read mark. */
    list(audience: string[], username: string, query: PageQuery & { unread?: boolean }): Promise<Page<NotificationRecord & { read: boolean }>>;
    get(id: string): Promise<NotificationRecord | null>;
    markRead(id: string, username: string, at: string): Promise<void>;
  };

  deliveries: {
    /** Takes up to `limit` deliveries due by `now` (pending, not held by a live claim) and holds them until `until`. */
    claim(now: string, until: string, limit: number): Promise<DeliveryRecord[]>;
    /** Records the outcome of an attempt made under the claim. */
    settle(id: string, outcome: { status: DeliveryStatus; attempts: number; nextAt: string; lastError: string | null; sentAt: string | null }): Promise<void>;
    get(id: string): Promise<DeliveryRecord | null>;
  };

  audit: {
    append(entry: AuditEntry): Promise<void>;
    list(query: PageQuery & { instanceId?: string; jurisdictions?: string[] }): Promise<Page<AuditEntry & { id: string }>>;
  };
}
