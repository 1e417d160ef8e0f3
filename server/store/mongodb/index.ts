// Production store: MongoDB through the official driver. Works on a plain server or replica set
// and on FerretDB, so it does not rely on multi-document transactions. Writes that span several
// documents (an engine step, a rule-set import) go through a journal: the whole change is first
// written in ONE document (atomic, and guarded by the instance revision), then applied with
// idempotent writes, then cleared. A crash in between is finished on the next open, so an
// acknowledged write is never half there.
//
// User content (variables, form data, schemas, engine state…) is stored as JSON text, never as
// BSON field names: a `$where` or `a.b` key typed into a form stays data and cannot become an operator.
import crypto from 'node:crypto';
import { MongoClient, MongoServerError, type Collection, type Db, type Filter } from 'mongodb';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { parentsFirst } from '../tree.js';
import { caseFields, caseMatch, insertNumbered, mongoCases, summaryDoc, taskCaseFilter } from './cases.js';
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
  type PageQuery,
  type PublishedResult,
  type RuleSetWrite,
  type StepChange,
  type Store,
  type SubscriptionRecord,
  type TaskRecord,
  type TimerRecord,
  type UserRecord,
} from '../index.js';

type Doc = { _id: string; [k: string]: any };

const text = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
const parse = <T>(value: string | null | undefined): T => (value == null ? (null as T) : (JSON.parse(value) as T));
const isDuplicate = (err: unknown) => err instanceof MongoServerError && err.code === 11000;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Values that reach a filter must be plain strings: an object such as {$ne: null} is refused. */
const str = (value: unknown): string => {
  if (typeof value !== 'string') throw new TypeError(`expected a string, got ${typeof value}`);
  return value;
};

/** Every index the API's queries use, with the query each one serves. */
const INDEXES: Record<string, { key: Record<string, 1 | -1>; unique?: boolean; why: string }[]> = {
  definitions: [{ key: { jurisdiction: 1, key: 1, version: -1 }, unique: true, why: 'latest/get/versions/listLatest; unique guards racing saves' }],
  forms: [{ key: { jurisdiction: 1, formKey: 1, version: -1 }, unique: true, why: 'latest/get/listLatest; unique guards racing saves' }],
  instances: [
    { key: { jurisdiction: 1, startedAt: -1, _id: -1 }, why: 'GET /api/instances?jurisdiction=, newest first' },
    { key: { status: 1, startedAt: -1, _id: -1 }, why: 'GET /api/instances?status=' },
    { key: { journal: 1 }, why: 'finishing journaled steps on open (sparse in practice: null when done)' },
  ],
  tasks: [
    { key: { jurisdiction: 1, status: 1, createdAt: -1, _id: -1 }, why: 'GET /api/tasks?status= within the user’s jurisdictions' },
    { key: { candidateGroups: 1, status: 1, createdAt: -1, _id: -1 }, why: 'group tasks a user may claim (multikey)' },
    { key: { assignee: 1, status: 1, createdAt: -1 }, why: 'my tasks' },
    { key: { instanceId: 1, ref: 1 }, why: 'tasks of an instance; cancelling by engine ref' },
    { key: { status: 1, due: 1 }, why: 'overdue tasks' },
  ],
  history: [{ key: { instanceId: 1, _id: 1 }, why: 'an instance’s timeline, in order' }],
  timers: [
    { key: { dueAt: 1 }, why: 'the scheduler’s due timers, earliest first' },
    { key: { instanceId: 1 }, why: 'replacing an instance’s timers' },
  ],
  subscriptions: [
    { key: { messageName: 1, correlationKey: 1 }, why: 'message correlation' },
    { key: { instanceId: 1 }, why: 'replacing an instance’s subscriptions' },
  ],
  messages: [{ key: { name: 1, correlationKey: 1, seq: 1 }, why: 'buffered messages for a new subscription, oldest first' }],
  results: [{ key: { jurisdiction: 1, publishedAt: -1, _id: -1 }, why: 'the public results page' }],
  audit: [
    { key: { instanceId: 1, _id: -1 }, why: 'GET /api/audit?instanceId=' },
    { key: { jurisdiction: 1, _id: -1 }, why: 'GET /api/audit?jurisdiction=' },
  ],
  sessions: [],
  users: [],
  jurisdictions: [],
  journal: [],
};

const toJurisdiction = (d: Doc): JurisdictionRecord => ({
  id: d._id, name: d.name, parent: d.parent, parameters: parse(d.parameters), vocabulary: parse(d.vocabulary),
  ...(d.extra ? { extra: parse(d.extra) } : {}),
});
const fromJurisdiction = (j: JurisdictionRecord) => ({
  _id: j.id, name: j.name, parent: j.parent, parameters: text(j.parameters), vocabulary: text(j.vocabulary), extra: text(j.extra ?? null),
});
const toDefinition = (d: Doc): DefinitionRecord => ({
  jurisdiction: d.jurisdiction, key: d.key, version: d.version, name: d.name, xml: d.xml, createdAt: d.createdAt, createdBy: d.createdBy,
});
const fromDefinition = (d: DefinitionRecord) => ({ _id: `${d.jurisdiction}/${d.key}/${d.version}`, ...d });
const toForm = (d: Doc): FormRecord => ({
  jurisdiction: d.jurisdiction, formKey: d.formKey, version: d.version, doc: parse(d.doc), createdAt: d.createdAt, createdBy: d.createdBy,
});
const fromForm = (f: FormRecord) => ({ _id: `${f.jurisdiction}/${f.formKey}/${f.version}`, ...f, doc: text(f.doc) });
const toUser = (d: Doc): UserRecord => ({
  username: d._id, displayName: d.displayName, passwordHash: d.passwordHash, memberships: parse(d.memberships), createdAt: d.createdAt,
});
const toInstance = (d: Doc): InstanceRecord => ({
  id: d._id, jurisdiction: d.jurisdiction, processKey: d.processKey, version: d.version, definedAt: d.definedAt, status: d.status,
  startedAt: d.startedAt, startedBy: d.startedBy, endedAt: d.endedAt ?? null, variables: parse(d.variables), params: parse(d.params),
  active: parse(d.active), incident: parse(d.incident), engineState: parse(d.engineState), revision: d.revision, ...caseFields(d),
});
const fromInstance = (i: InstanceRecord) => ({
  _id: i.id, jurisdiction: i.jurisdiction, processKey: i.processKey, version: i.version, definedAt: i.definedAt, status: i.status,
  startedAt: i.startedAt, startedBy: i.startedBy, endedAt: i.endedAt, variables: text(i.variables), params: text(i.params),
  active: text(i.active), incident: text(i.incident), engineState: text(i.engineState), revision: i.revision, ...summaryDoc(i),
});
const toTask = (d: Doc): TaskRecord => ({
  id: d._id, instanceId: d.instanceId, ref: d.ref, elementId: d.elementId, name: d.name, jurisdiction: d.jurisdiction,
  processKey: d.processKey, formKey: d.formKey ?? null, candidateGroups: d.candidateGroups, assignee: d.assignee ?? null, status: d.status,
  data: parse(d.data), createdAt: d.createdAt, due: d.due ?? null, completedAt: d.completedAt ?? null, completedBy: d.completedBy ?? null,
  version: d.version,
});
const fromTask = (t: TaskRecord) => ({ _id: t.id, ...withoutId(t), data: text(t.data) });
const toHistory = (d: Doc): HistoryEntry => ({
  instanceId: d.instanceId, elementId: d.elementId, name: d.name, type: d.type, at: d.at, by: d.by ?? null, data: parse(d.data),
});
const toTimer = (d: Doc): TimerRecord => ({ instanceId: d.instanceId, ref: d.ref, elementId: d.elementId, dueAt: d.dueAt });
const toSubscription = (d: Doc): SubscriptionRecord => ({
  instanceId: d.instanceId, ref: d.ref, elementId: d.elementId, messageName: d.messageName, correlationKey: d.correlationKey,
});
const toMessage = (d: Doc): BufferedMessage => ({
  id: d._id, name: d.name, correlationKey: d.correlationKey, variables: parse(d.variables), expiresAt: d.expiresAt,
});
const toResult = (d: Doc): PublishedResult => ({
  id: d._id, jurisdiction: d.jurisdiction, instanceId: d.instanceId, title: d.title, content: parse(d.content), publishedAt: d.publishedAt,
});
const fromAudit = (id: string, e: AuditEntry) => ({
  _id: id, at: e.at, actor: e.actor, action: e.action, jurisdiction: e.jurisdiction, targetType: e.targetType, targetId: e.targetId,
  instanceId: e.instanceId ?? null, beforeVersion: e.beforeVersion ?? null, afterVersion: e.afterVersion ?? null, detail: text(e.detail ?? null),
});
const toAudit = (d: Doc): AuditEntry & { id: string } => ({
  id: d._id, at: d.at, actor: d.actor, action: d.action, jurisdiction: d.jurisdiction, targetType: d.targetType, targetId: d.targetId,
  instanceId: d.instanceId, beforeVersion: d.beforeVersion, afterVersion: d.afterVersion, detail: parse(d.detail),
});

function withoutId<T extends { id: string }>(value: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = value;
  return rest;
}

/** Inserts in one round trip; documents already there (a replay after a crash) are left as they are. */
async function insertNew(coll: Collection<Doc>, docs: Doc[]) {
  if (!docs.length) return;
  try {
    await coll.insertMany(docs, { ordered: false });
  } catch (err) {
    const errors = (err as { writeErrors?: { code: number }[] | { code: number } }).writeErrors;
    const list = Array.isArray(errors) ? errors : errors ? [errors] : [];
    if (!list.length || list.some((e) => e.code !== 11000)) throw err;
  }
}

/** Audit ids sort by time, then by a random tail: newest first is a plain _id order. */
const auditId = (e: AuditEntry) => `${e.at}~${crypto.randomBytes(6).toString('hex')}`;

/** Keyset page over (sortField, _id), newest first unless asked for ascending order. */
async function page<T>(coll: Collection<Doc>, filter: Filter<Doc>, sort: string, query: PageQuery, map: (d: Doc) => T, ascending = false): Promise<Page<T>> {
  const after = decodeCursor(query.cursor);
  const beyond = ascending ? '$gt' : '$lt';
  const dir = ascending ? 1 : -1;
  const where: Filter<Doc> = after
    ? sort === '_id'
      ? { $and: [filter, { _id: { [beyond]: after[1] } }] }
      : { $and: [filter, { $or: [{ [sort]: { [beyond]: after[0] } }, { [sort]: after[0], _id: { [beyond]: after[1] } }] }] }
    : filter;
  const docs = await coll.find(where).sort(sort === '_id' ? { _id: dir } : { [sort]: dir, _id: dir }).limit(query.limit + 1).toArray();
  const more = docs.length > query.limit;
  const items = docs.slice(0, query.limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last ? encodeCursor(last[sort] as string, last._id) : null };
}

export async function openMongoStore(uri: string, dbName?: string): Promise<Store> {
  const client = await MongoClient.connect(uri, { writeConcern: { w: 'majority', journal: true } });
  const db: Db = client.db(dbName);
  const c = (name: keyof typeof INDEXES) => db.collection<Doc>(name);
  for (const [name, indexes] of Object.entries(INDEXES)) {
    for (const ix of indexes) await db.collection(name).createIndex(ix.key, { unique: ix.unique ?? false });
  }
  const [jurisdictions, definitions, forms, users, sessions, instances, tasks, history, timers, subscriptions, messages, results, audit, journal] = (
    ['jurisdictions', 'definitions', 'forms', 'users', 'sessions', 'instances', 'tasks', 'history', 'timers', 'subscriptions', 'messages', 'results', 'audit', 'journal'] as const
  ).map(c);

  const appendAudit = (e: AuditEntry) => audit.insertOne(fromAudit(auditId(e), e));

  // ---- rule-set imports: journaled, then applied with upserts keyed by (jurisdiction, key, version)
  async function applyRuleSet(id: string, w: RuleSetWrite) {
    await jurisdictions.replaceOne({ _id: w.jurisdiction.id }, fromJurisdiction(w.jurisdiction), { upsert: true });
    for (const d of w.definitions) await definitions.replaceOne({ _id: fromDefinition(d)._id }, fromDefinition(d), { upsert: true });
    for (const f of w.forms) await forms.replaceOne({ _id: fromForm(f)._id }, fromForm(f), { upsert: true });
    for (const [n, a] of w.audit.entries()) await audit.replaceOne({ _id: `${a.at}~${id}-${n}` }, fromAudit(`${a.at}~${id}-${n}`, a), { upsert: true });
    await journal.deleteOne({ _id: id });
  }

  // ---- engine steps: the step rides on the instance document (journal field) until applied
  type Journaled = Omit<StepChange, 'instance' | 'expectedRevision' | 'completeTask'> & { completeTask?: StepChange['completeTask'] };
  const stepOf = (c: StepChange): Journaled => {
    const { instance: _i, expectedRevision: _e, ...rest } = c;
    return rest;
  };

  /** The idempotent rest of a step whose instance document already holds it. */
  async function applyJournaled(instanceId: string, revision: number, s: Journaled) {
    const prefix = `${instanceId}:${pad(revision, 9)}`;
    if (s.cancelTaskRefs.length) {
      await tasks.updateMany({ instanceId, status: 'open', ref: { $in: s.cancelTaskRefs } }, { $set: { status: 'cancelled' }, $inc: { version: 1 } });
    }
    // One round trip each, and idempotent: a replay after a crash finds them already there.
    await insertNew(tasks, s.createTasks.map(fromTask));
    await insertNew(history, s.history.map((h, n) => ({ _id: `${prefix}:${pad(n, 4)}`, ...h, data: text(h.data) })));
    await timers.deleteMany({ instanceId });
    if (s.timers.length) await timers.insertMany(s.timers.map((t) => ({ _id: `${instanceId}:${t.ref}`, ...t })));
    await subscriptions.deleteMany({ instanceId });
    if (s.subscriptions.length) await subscriptions.insertMany(s.subscriptions.map((x) => ({ _id: `${instanceId}:${x.ref}`, ...x })));
    for (const r of s.results) await results.replaceOne({ _id: r.id }, { _id: r.id, ...withoutId(r), content: text(r.content) }, { upsert: true });
    for (const [n, a] of s.audit.entries()) await audit.replaceOne({ _id: `${a.at}~${prefix}-${n}` }, fromAudit(`${a.at}~${prefix}-${n}`, a), { upsert: true });
    await instances.updateOne({ _id: instanceId, revision }, { $set: { journal: null } });
  }

  /** Completes a task when it is still open at the version the step was computed from. */
  const completeTask = (t: NonNullable<StepChange['completeTask']>) =>
    tasks.updateOne(
      { _id: t.id, status: 'open', version: t.expectedVersion },
      { $set: { status: 'completed', data: text(t.data), completedAt: t.at, completedBy: t.by }, $inc: { version: 1 } },
    );

  /** Finishes a step a crash interrupted after its instance document was written. */
  async function finishJournal(d: Doc) {
    const s = parse<Journaled>(d.journal);
    const t = s.completeTask;
    if (t) {
      await completeTask(t);
    }
    for (const id of s.consumeMessageIds) await messages.deleteOne({ _id: id });
    await applyJournaled(d._id, d.revision, s);
  }

  async function applyStep(change: StepChange) {
    const i = change.instance;
    const journalText = text(stepOf(change));
    let previous: Doc | null = null;
    if (change.expectedRevision === null) {
      try {
        await insertNumbered(instances, { ...fromInstance(i), journal: journalText }, i);
      } catch (err) {
        if (isDuplicate(err)) throw new ConflictError(`instance ${i.id} exists`);
        throw err;
      }
    } else {
      const current = await instances.findOne({ _id: i.id });
      if (current?.journal) await finishJournal(current);
      previous = await instances.findOneAndUpdate(
        { _id: i.id, revision: change.expectedRevision },
        { $set: { ...fromInstance(i), journal: journalText } },
        { returnDocument: 'before' },
      );
      if (!previous) throw new ConflictError(`instance ${i.id} changed meanwhile`);
    }
    // Guards on other documents: on failure, undo what this step did so far, so nothing is written.
    const consumed: Doc[] = [];
    const undo = async (why: string) => {
      if (consumed.length) await messages.insertMany(consumed);
      if (previous) await instances.replaceOne({ _id: i.id, revision: i.revision }, { ...previous, journal: null });
      else await instances.deleteOne({ _id: i.id, revision: i.revision });
      throw new ConflictError(why);
    };
    for (const id of change.consumeMessageIds) {
      const m = await messages.findOneAndDelete({ _id: id });
      if (!m) await undo(`message ${id} was already consumed`);
      else consumed.push(m);
    }
    const t = change.completeTask;
    if (t) {
      const res = await completeTask(t);
      if (res.matchedCount !== 1) await undo(`task ${t.id} is no longer open`);
    }
    await applyJournaled(i.id, i.revision, stepOf(change));
  }

  /** Versioned items (definitions, forms): per jurisdiction and key, the latest one wins. */
  function versioned<T extends { jurisdiction: string; version: number }>(coll: Collection<Doc>, keyField: 'key' | 'formKey', map: (d: Doc) => T, store: (item: T) => Doc) {
    return {
      async latest(jurisdiction: string, key: string) {
        const d = await coll.find({ jurisdiction: str(jurisdiction), [keyField]: str(key) }).sort({ version: -1 }).limit(1).next();
        return d ? map(d) : null;
      },
      async get(jurisdiction: string, key: string, version: number) {
        const d = await coll.findOne({ jurisdiction: str(jurisdiction), [keyField]: str(key), version: Number(version) });
        return d ? map(d) : null;
      },
      async listLatest(jurisdiction: string) {
        const all = await coll.find({ jurisdiction: str(jurisdiction) }).sort({ [keyField]: 1, version: -1 }).toArray();
        return all.filter((d, n) => n === 0 || all[n - 1][keyField] !== d[keyField]).map(map);
      },
      /** The unique (jurisdiction, key, version) index makes a racing second save fail. */
      async create(item: T, expectedLatest: number, entry: AuditEntry) {
        const key = (store(item) as Doc)[keyField];
        const latest = (await coll.find({ jurisdiction: item.jurisdiction, [keyField]: key }).sort({ version: -1 }).limit(1).next())?.version ?? 0;
        if (latest !== expectedLatest) throw new ConflictError(`version ${expectedLatest} is stale: the latest is ${latest}`);
        try {
          await coll.insertOne(store(item));
        } catch (err) {
          if (isDuplicate(err)) throw new ConflictError(`version ${item.version} was saved meanwhile`);
          throw err;
        }
        await appendAudit(entry);
      },
    };
  }

  // Finish whatever a crash left half-done before serving anything.
  for (const j of await journal.find({}).toArray()) await applyRuleSet(j._id, parse<RuleSetWrite>(j.write));
  for (const d of await instances.find({ journal: { $type: 'string' } }).toArray()) await finishJournal(d);

  let messageSeq = 0;
  const definitionsRepo = versioned(definitions, 'key', toDefinition, fromDefinition);

  return {
    kind: 'mongodb',
    async close() {
      await client.close();
    },
    async isEmpty() {
      return (await jurisdictions.countDocuments({}, { limit: 1 })) === 0;
    },
    async *dump() {
      for (const j of parentsFirst((await jurisdictions.find({}).toArray()).map(toJurisdiction), (j) => j)) {
        yield {
          ruleSet: {
            jurisdiction: j,
            definitions: (await definitions.find({ jurisdiction: j.id }).sort({ key: 1, version: 1 }).toArray()).map(toDefinition),
            forms: (await forms.find({ jurisdiction: j.id }).sort({ formKey: 1, version: 1 }).toArray()).map(toForm),
            audit: [],
          },
        };
      }
      for await (const u of users.find({}).sort({ _id: 1 })) yield { user: toUser(u) };
      for await (const d of instances.find({}).sort({ startedAt: 1, _id: 1 })) {
        const instanceId = d._id;
        yield {
          instance: {
            instance: toInstance(d),
            tasks: (await tasks.find({ instanceId }).sort({ createdAt: 1, _id: 1 }).toArray()).map(toTask),
            history: (await history.find({ instanceId }).sort({ _id: 1 }).toArray()).map(toHistory),
            timers: (await timers.find({ instanceId }).toArray()).map(toTimer),
            subscriptions: (await subscriptions.find({ instanceId }).toArray()).map(toSubscription),
            results: (await results.find({ instanceId }).toArray()).map(toResult),
          },
        };
      }
      for await (const m of messages.find({}).sort({ seq: 1 })) yield { message: toMessage(m) };
      for await (const a of audit.find({}).sort({ _id: 1 })) {
        const { id: _id, ...entry } = toAudit(a);
        yield { audit: entry };
      }
    },
    jurisdictions: {
      async list() {
        return (await jurisdictions.find({}).sort({ _id: 1 }).toArray()).map(toJurisdiction);
      },
      async get(id) {
        const d = await jurisdictions.findOne({ _id: str(id) });
        return d ? toJurisdiction(d) : null;
      },
    },
    async importRuleSet(w) {
      const id = crypto.randomUUID();
      await journal.insertOne({ _id: id, write: text(w) });
      await applyRuleSet(id, w);
    },
    definitions: {
      ...definitionsRepo,
      async versions(jurisdiction, key) {
        const docs = await definitions.find({ jurisdiction: str(jurisdiction), key: str(key) }, { projection: { xml: 0 } }).sort({ version: 1 }).toArray();
        return docs.map((d) => {
          const { xml: _xml, ...rest } = toDefinition({ ...d, xml: '' });
          return rest;
        });
      },
    },
    forms: versioned(forms, 'formKey', toForm, fromForm),
    users: {
      async get(username) {
        const d = await users.findOne({ _id: str(username) });
        return d ? toUser(d) : null;
      },
      async list() {
        return (await users.find({}).sort({ _id: 1 }).toArray()).map(toUser);
      },
      async create(u, entry) {
        try {
          await users.insertOne({ _id: u.username, displayName: u.displayName, passwordHash: u.passwordHash, memberships: text(u.memberships), createdAt: u.createdAt });
        } catch (err) {
          if (isDuplicate(err)) throw new ConflictError(`user ${u.username} exists`);
          throw err;
        }
        await appendAudit(entry);
      },
      async update(u, entry) {
        await users.updateOne({ _id: u.username }, { $set: { displayName: u.displayName, passwordHash: u.passwordHash, memberships: text(u.memberships) } });
        await appendAudit(entry);
      },
      async remove(username, entry) {
        await users.deleteOne({ _id: username });
        await sessions.deleteMany({ username });
        await appendAudit(entry);
      },
    },
    sessions: {
      async create(tokenHash, username, expiresAt) {
        await sessions.insertOne({ _id: tokenHash, username, expiresAt });
      },
      async get(tokenHash) {
        const d = await sessions.findOne({ _id: str(tokenHash) });
        return d ? { username: d.username, expiresAt: d.expiresAt } : null;
      },
      async remove(tokenHash) {
        await sessions.deleteOne({ _id: tokenHash });
      },
    },
    instances: {
      async get(id) {
        const d = await instances.findOne({ _id: str(id) });
        return d ? toInstance(d) : null;
      },
      async list(q) {
        const filter: Filter<Doc> = {};
        if (q.jurisdictions) filter.jurisdiction = { $in: q.jurisdictions };
        if (q.processKey) filter.processKey = q.processKey;
        if (q.status) filter.status = q.status;
        return page(instances, q.q ? { $and: [filter, caseMatch(q.q)] } : filter, 'startedAt', q, toInstance);
      },
      async history(id) {
        return (await history.find({ instanceId: str(id) }).sort({ _id: 1 }).toArray()).map(toHistory);
      },
      applyStep,
    },
    cases: await mongoCases(instances, tasks, page, toTask),
    tasks: {
      async get(id) {
        const d = await tasks.findOne({ _id: str(id) });
        return d ? toTask(d) : null;
      },
      async list(q) {
        const filter: Filter<Doc> = {};
        if (q.jurisdictions) filter.jurisdiction = { $in: q.jurisdictions };
        if (q.status) filter.status = q.status;
        if (q.assignee !== undefined) filter.assignee = q.assignee;
        if (q.candidateGroups) filter.candidateGroups = { $in: q.candidateGroups };
        if (q.overdueAt) filter.due = { $ne: null, $lt: q.overdueAt };
        if (q.instanceId) filter.instanceId = q.instanceId;
        if (q.q) Object.assign(filter, await taskCaseFilter(instances, q.q));
        // Overdue lists run most overdue first (index status + due).
        return q.overdueAt ? page(tasks, filter, 'due', q, toTask, true) : page(tasks, filter, 'createdAt', q, toTask);
      },
      async assign(id, expectedVersion, assignee, entry) {
        const res = await tasks.updateOne({ _id: id, status: 'open', version: expectedVersion }, { $set: { assignee }, $inc: { version: 1 } });
        if (res.matchedCount !== 1) throw new ConflictError(`task ${id} changed meanwhile or is no longer open`);
        await appendAudit(entry);
      },
    },
    timers: {
      async due(now, limit) {
        return (await timers.find({ dueAt: { $lte: now } }).sort({ dueAt: 1 }).limit(limit).toArray()).map(toTimer);
      },
    },
    messages: {
      async findSubscription(name, correlationKey) {
        const d = await subscriptions.findOne({ messageName: str(name), correlationKey: str(correlationKey) });
        return d ? toSubscription(d) : null;
      },
      async buffer(m) {
        await messages.insertOne({ _id: m.id, name: m.name, correlationKey: m.correlationKey, variables: text(m.variables), expiresAt: m.expiresAt, seq: Date.now() * 1000 + (messageSeq++ % 1000) });
      },
      async matching(subs, now) {
        const found: BufferedMessage[] = [];
        for (const s of subs) {
          const docs = await messages.find({ name: s.messageName, correlationKey: s.correlationKey, expiresAt: { $gt: now } }).sort({ seq: 1 }).toArray();
          found.push(...docs.map(toMessage));
        }
        return found;
      },
    },
    results: {
      async list(jurisdictionIds, q) {
        return page(results, { jurisdiction: { $in: jurisdictionIds } }, 'publishedAt', q, toResult);
      },
    },
    audit: {
      async append(entry) {
        await appendAudit(entry);
      },
      async list(q) {
        const filter: Filter<Doc> = {};
        if (q.instanceId) filter.instanceId = q.instanceId;
        if (q.jurisdictions) filter.jurisdiction = { $in: q.jurisdictions };
        return page(audit, filter, '_id', q, toAudit);
      },
    },
  };
}
