// Rows ↔ records: column names are snake_case, JSON-valued fields are stored as text.
import type {
  AuditEntry,
  BufferedMessage,
  DefinitionRecord,
  FormRecord,
  HistoryEntry,
  InstanceRecord,
  JurisdictionRecord,
  PublishedResult,
  SubscriptionRecord,
  TaskRecord,
  TimerRecord,
  UserRecord,
} from '../index.js';

/** A row as better-sqlite3 returns it: untyped columns, each mapped to its record field below. */
export type Row = Record<string, any>;

export const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
export const parse = <T>(text: string | null): T => (text == null ? (null as T) : (JSON.parse(text) as T));
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

export const toJurisdiction = (r: Row): JurisdictionRecord => ({
  id: r.id,
  name: r.name,
  parent: r.parent,
  parameters: parse(r.parameters),
  vocabulary: parse(r.vocabulary),
  version: r.version ?? 0,
  ...(r.extra ? { extra: parse(r.extra) } : {}),
});
export const toDefinition = (r: Row): DefinitionRecord => ({
  jurisdiction: r.jurisdiction,
  key: r.key,
  version: r.version,
  name: r.name,
  xml: r.xml,
  createdAt: r.created_at,
  createdBy: r.created_by,
});
export const toForm = (r: Row): FormRecord => ({
  jurisdiction: r.jurisdiction,
  formKey: r.form_key,
  version: r.version,
  doc: parse(r.doc),
  createdAt: r.created_at,
  createdBy: r.created_by,
});
export const toUser = (r: Row): UserRecord => ({
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  memberships: parse(r.memberships),
  createdAt: r.created_at,
});
/** The case fields of an instance row (ledger number and summary, see cases.ts). */
export const caseFields = (r: Row) => ({
  no: r.case_no ?? null,
  summary: { title: r.title ?? null, reporter: r.reporter ?? null, category: r.category ?? null, class: r.class ?? null },
});
export const toInstance = (r: Row): InstanceRecord => ({
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
  ...(r.parent_id && { parentId: r.parent_id, parentRef: r.parent_ref }),
});
export const toTask = (r: Row): TaskRecord => ({
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
  ...(r.locals && { locals: parse(r.locals) }),
  ...(r.signers && r.signers !== '[]' && { signers: parse(r.signers) }),
  createdAt: r.created_at,
  due: r.due,
  completedAt: r.completed_at,
  completedBy: r.completed_by,
  version: r.version,
});
export const toHistory = (r: Row): HistoryEntry => ({
  instanceId: r.instance_id,
  elementId: r.element_id,
  name: r.name,
  type: r.type,
  at: r.at,
  by: r.by,
  data: parse(r.data),
});
export const toTimer = (r: Row): TimerRecord => ({ instanceId: r.instance_id, ref: r.ref, elementId: r.element_id, dueAt: r.due_at });
export const toSubscription = (r: Row): SubscriptionRecord => ({
  instanceId: r.instance_id,
  ref: r.ref,
  elementId: r.element_id,
  messageName: r.message_name,
  correlationKey: r.correlation_key,
});
export const toMessage = (r: Row): BufferedMessage => ({
  id: r.id,
  name: r.name,
  correlationKey: r.correlation_key,
  variables: parse(r.variables),
  expiresAt: r.expires_at,
});
export const toResult = (r: Row): PublishedResult => ({
  id: r.id,
  jurisdiction: r.jurisdiction,
  instanceId: r.instance_id,
  title: r.title,
  content: parse(r.content),
  publishedAt: r.published_at,
});
export const toAudit = (r: Row): AuditEntry & { id: string } => ({
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
