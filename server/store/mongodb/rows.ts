// Documents ↔ records. User content (variables, form data, schemas, engine state…) is stored as
// JSON text, never as BSON field names: a `$where` or `a.b` key typed into a form stays data.
import { MongoServerError, type Collection } from 'mongodb';
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

/** A document as the driver returns it: untyped fields, each mapped to its record field below. */
export type Doc = { _id: string; [k: string]: any };

export const text = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
export const parse = <T>(value: string | null | undefined): T => (value == null ? (null as T) : (JSON.parse(value) as T));
export const isDuplicate = (err: unknown) => err instanceof MongoServerError && err.code === 11000;
/** Whether an insert went in (false: its unique key was taken), the one write atomic on every server this store runs on. */
export const inserted = async (write: Promise<unknown>): Promise<boolean> => {
  try {
    await write;
    return true;
  } catch (err) {
    if (isDuplicate(err)) return false;
    throw err;
  }
};
/**
 * Writes a document whole, creating it if missing. Two upserts of one new _id can race (a journal
 * replayed by a starting server while its writer is still applying it): the loser's insert hits the
 * unique key, and its write becomes the replace it would have been a moment later.
 */
export async function putById(collection: Collection<Doc>, doc: Doc): Promise<void> {
  try {
    await collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
  } catch (err) {
    if (!isDuplicate(err)) throw err;
    await collection.replaceOne({ _id: doc._id }, doc);
  }
}
export const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Values that reach a filter must be plain strings: an object such as {$ne: null} is refused. */
export const str = (value: unknown): string => {
  if (typeof value !== 'string') throw new TypeError(`expected a string, got ${typeof value}`);
  return value;
};

export const toJurisdiction = (d: Doc): JurisdictionRecord => ({
  id: d._id, name: d.name, parent: d.parent, parameters: parse(d.parameters), vocabulary: parse(d.vocabulary), version: d.version ?? 1,
  ...(d.extra ? { extra: parse(d.extra) } : {}),
});
export const fromJurisdiction = (j: JurisdictionRecord) => ({
  _id: j.id, name: j.name, parent: j.parent, parameters: text(j.parameters), vocabulary: text(j.vocabulary), extra: text(j.extra ?? null),
  version: j.version ?? 1,
});
export const toDefinition = (d: Doc): DefinitionRecord => ({
  jurisdiction: d.jurisdiction, key: d.key, version: d.version, name: d.name, xml: d.xml, createdAt: d.createdAt, createdBy: d.createdBy,
});
export const fromDefinition = (d: DefinitionRecord) => ({ _id: `${d.jurisdiction}/${d.key}/${d.version}`, ...d });
export const toForm = (d: Doc): FormRecord => ({
  jurisdiction: d.jurisdiction, formKey: d.formKey, version: d.version, doc: parse(d.doc), createdAt: d.createdAt, createdBy: d.createdBy,
});
export const fromForm = (f: FormRecord) => ({ _id: `${f.jurisdiction}/${f.formKey}/${f.version}`, ...f, doc: text(f.doc) });
export const toUser = (d: Doc): UserRecord => ({
  username: d._id, displayName: d.displayName, passwordHash: d.passwordHash, memberships: parse(d.memberships), createdAt: d.createdAt,
});
/** The case fields of an instance document (its number is written once, by cases.ts insertNumbered). */
export const caseFields = (d: Doc) => ({
  no: d.caseNo ?? null,
  summary: { title: d.title ?? null, reporter: d.reporter ?? null, category: d.category ?? null, class: d.class ?? null },
});
/** The summary as plain document fields, so the ledger can filter and search them. */
const summaryDoc = (i: InstanceRecord) => ({
  title: i.summary?.title ?? null, reporter: i.summary?.reporter ?? null, category: i.summary?.category ?? null, class: i.summary?.class ?? null,
});
export const toInstance = (d: Doc): InstanceRecord => ({
  id: d._id, jurisdiction: d.jurisdiction, processKey: d.processKey, version: d.version, definedAt: d.definedAt, status: d.status,
  startedAt: d.startedAt, startedBy: d.startedBy, endedAt: d.endedAt ?? null, variables: parse(d.variables), params: parse(d.params),
  active: parse(d.active), incident: parse(d.incident), engineState: parse(d.engineState), revision: d.revision, ...caseFields(d),
  ...(d.parentId && { parentId: d.parentId, parentRef: d.parentRef }),
});
export const fromInstance = (i: InstanceRecord) => ({
  _id: i.id, jurisdiction: i.jurisdiction, processKey: i.processKey, version: i.version, definedAt: i.definedAt, status: i.status,
  startedAt: i.startedAt, startedBy: i.startedBy, endedAt: i.endedAt, variables: text(i.variables), params: text(i.params),
  active: text(i.active), incident: text(i.incident), engineState: text(i.engineState), revision: i.revision, ...summaryDoc(i),
  parentId: i.parentId ?? null, parentRef: i.parentRef ?? null,
});
export const toTask = (d: Doc): TaskRecord => ({
  id: d._id, instanceId: d.instanceId, ref: d.ref, elementId: d.elementId, name: d.name, jurisdiction: d.jurisdiction,
  processKey: d.processKey, formKey: d.formKey ?? null, candidateGroups: d.candidateGroups, assignee: d.assignee ?? null, status: d.status,
  data: parse(d.data), ...(d.locals && { locals: parse(d.locals) }), ...(d.signers?.length && { signers: d.signers }), createdAt: d.createdAt, due: d.due ?? null, completedAt: d.completedAt ?? null, completedBy: d.completedBy ?? null,
  version: d.version,
});
export const fromTask = (t: TaskRecord) => ({ _id: t.id, ...withoutId(t), data: text(t.data), ...(t.locals && { locals: text(t.locals) }) });
export const toHistory = (d: Doc): HistoryEntry => ({
  instanceId: d.instanceId, elementId: d.elementId, name: d.name, type: d.type, at: d.at, by: d.by ?? null, data: parse(d.data),
});
export const toTimer = (d: Doc): TimerRecord => ({ instanceId: d.instanceId, ref: d.ref, elementId: d.elementId, dueAt: d.dueAt });
export const toSubscription = (d: Doc): SubscriptionRecord => ({
  instanceId: d.instanceId, ref: d.ref, elementId: d.elementId, messageName: d.messageName, correlationKey: d.correlationKey,
});
export const toMessage = (d: Doc): BufferedMessage => ({
  id: d._id, name: d.name, correlationKey: d.correlationKey, variables: parse(d.variables), expiresAt: d.expiresAt,
});
export const toResult = (d: Doc): PublishedResult => ({
  id: d._id, jurisdiction: d.jurisdiction, instanceId: d.instanceId, title: d.title, content: parse(d.content), publishedAt: d.publishedAt,
});
export const fromAudit = (id: string, e: AuditEntry) => ({
  _id: id, at: e.at, actor: e.actor, action: e.action, jurisdiction: e.jurisdiction, targetType: e.targetType, targetId: e.targetId,
  instanceId: e.instanceId ?? null, beforeVersion: e.beforeVersion ?? null, afterVersion: e.afterVersion ?? null, detail: text(e.detail ?? null),
});
export const toAudit = (d: Doc): AuditEntry & { id: string } => ({
  id: d._id, at: d.at, actor: d.actor, action: d.action, jurisdiction: d.jurisdiction, targetType: d.targetType, targetId: d.targetId,
  instanceId: d.instanceId, beforeVersion: d.beforeVersion, afterVersion: d.afterVersion, detail: parse(d.detail),
});

export function withoutId<T extends { id: string }>(value: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = value;
  return rest;
}
