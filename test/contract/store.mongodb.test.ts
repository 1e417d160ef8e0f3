import crypto from 'node:crypto';
import { MongoClient, ObjectId } from 'mongodb';
import { describe, expect, inject, it } from 'vitest';
import { openMongoStore } from '../../server/store/mongodb/index.js';
import { storeContract } from './store.contract.js';

// A fresh database per store: the contract's tests must not see each other's data.
storeContract('mongodb', async () => {
  const uri = inject('mongodbUri');
  if (!uri) throw new Error(`no MongoDB-protocol server for the contract suite: ${inject('serversProblem')}`);
  return openMongoStore(uri, `contract-${crypto.randomUUID().slice(0, 8)}`);
});

/** An instance at revision 1 with one open task, as the crash tests below start from. */
const at = '2026-01-01T00:00:00.000Z';
const instance = {
  id: 'i1', jurisdiction: 'j1', processKey: 'p', version: 1, definedAt: 'j1', status: 'active' as const, startedAt: at, startedBy: 'u',
  endedAt: null, variables: {}, params: {}, active: [], incident: null, engineState: null, revision: 1,
};
const openTask = (assignee: string | null) => ({
  id: 't1', instanceId: 'i1', ref: 'r1', elementId: 'e', name: '任务', jurisdiction: 'j1', processKey: 'p', formKey: null, candidateGroups: ['staff'],
  assignee, status: 'open' as const, data: null, createdAt: at, due: null, completedAt: null, completedBy: null, version: 1,
});

describe('MongoDB store: journaled steps', () => {
  it('finishes on open a step that a crash cut off after its instance document was written', async () => {
    const uri = inject('mongodbUri');
    const dbName = `journal-${crypto.randomUUID().slice(0, 8)}`;
    const store = await openMongoStore(uri, dbName);
    const task = openTask(null);
    const step = {
      instance, expectedRevision: null, createTasks: [task], cancelTaskRefs: [], history: [{ instanceId: 'i1', elementId: 'start', name: '开始', type: 'startEvent', at, by: null, data: null }],
      timers: [{ instanceId: 'i1', ref: 'tm', elementId: 'timer', dueAt: at }], subscriptions: [], consumeMessageIds: [], results: [], audit: [],
    };
    await store.instances.applyStep(step);
    await store.close();

    // The crash: only the instance document (with its journal) made it.
    const client = await MongoClient.connect(uri);
    const db = client.db(dbName);
    await Promise.all(['tasks', 'history', 'timers'].map((c) => db.collection(c).deleteMany({})));
    const { instance: _i, expectedRevision: _e, ...journal } = step;
    await db.collection<{ _id: string }>('instances').updateOne({ _id: 'i1' }, { $set: { journal: JSON.stringify(journal) } });
    await client.close();

    const reopened = await openMongoStore(uri, dbName);
    expect(await reopened.tasks.get('t1')).toEqual(task);
    expect((await reopened.instances.history('i1')).map((h) => h.elementId)).toEqual(['start']);
    expect(await reopened.timers.due('2026-01-02T00:00:00.000Z', 10)).toEqual(step.timers);
    await reopened.close();
  });
});

describe('MongoDB store: journaled rule-set imports', () => {
  it('lets servers starting at once each finish an import still in its journal, without a duplicate-key error', async () => {
    const uri = inject('mongodbUri');
    const dbName = `imports-${crypto.randomUUID().slice(0, 8)}`;
    const definitions = Array.from({ length: 10 }, (_, n) => ({ jurisdiction: 'j1', key: `p${n}`, version: 1, name: `流程${n}`, xml: '<x/>', createdAt: at, createdBy: 'u' }));
    const write = { jurisdiction: { id: 'j1', name: '一', parent: null, parameters: {}, vocabulary: {} }, definitions, forms: [], audit: [] };
    const client = await MongoClient.connect(uri);
    const db = client.db(dbName);
    // The importer died (or is still writing) after its journal entry: every server opening the store replays it.
    await db.collection<{ _id: string; write: string }>('journal').insertOne({ _id: 'import-1', write: JSON.stringify(write) });
    const stores = await Promise.all([1, 2, 3, 4].map(() => openMongoStore(uri, dbName)));
    expect((await stores[0].definitions.listLatest('j1')).map((d) => d.key).sort()).toEqual(definitions.map((d) => d.key).sort());
    expect(await db.collection('journal').countDocuments()).toBe(0);
    for (const s of stores) await s.close();
    await db.dropDatabase();
    await client.close();
  });
});

describe('MongoDB store: journaled case notes', () => {
  it('finishes a case note that a crash cut off after its instance document was written: the hand-over and its history together, once', async () => {
    const uri = inject('mongodbUri');
    const dbName = `note-${crypto.randomUUID().slice(0, 8)}`;
    const store = await openMongoStore(uri, dbName);
    const task = openTask('owner');
    await store.instances.applyStep({ instance, expectedRevision: null, createTasks: [task], cancelTaskRefs: [], history: [], timers: [], subscriptions: [], consumeMessageIds: [], results: [], audit: [] });
    const audit = { at, actor: 'owner', action: 'task.delegate', jurisdiction: 'j1', targetType: 'task', targetId: 't1', instanceId: 'i1' };
    const delegate = { instanceId: 'i1', elementId: 'e', name: '任务', type: 'Delegate', at, by: 'owner', data: { to: 'v' } };
    // The crash: only the instance document, holding the note, made it.
    const client = await MongoClient.connect(uri);
    const db = client.db(dbName);
    const note = { prefix: `i1:000000001:~${new ObjectId().toHexString()}`, instanceId: 'i1', history: [delegate], audit, assign: { taskId: 't1', expectedVersion: 1, assignee: 'v', signers: ['s'] } };
    await db.collection<{ _id: string }>('instances').updateOne({ _id: 'i1' }, { $set: { journal: JSON.stringify({ note }) } });
    expect((await store.instances.history('i1')).length).toBe(0);

    expect(await store.instances.recover()).toBe(1);
    expect(await store.instances.recover()).toBe(0);
    expect(await store.tasks.get('t1')).toMatchObject({ assignee: 'v', version: 2 });
    expect((await store.tasks.list({ limit: 10, status: 'open', assignee: 's' })).items.map((t) => t.id)).toEqual(['t1']);
    expect((await store.instances.history('i1')).map((h) => h.type)).toEqual(['Delegate']);
    expect((await store.audit.list({ limit: 10, instanceId: 'i1' })).items.filter((a) => a.action === 'task.delegate')).toHaveLength(1);
    // The next note sees the task as the finished one left it.
    await store.instances.note({ instanceId: 'i1', history: [{ ...delegate, type: 'Resolve' }], audit, assign: { taskId: 't1', expectedVersion: 2, assignee: 'owner' } });
    expect((await store.instances.history('i1')).map((h) => h.type)).toEqual(['Delegate', 'Resolve']);
    await client.close();
    await store.close();
  });
});

describe('copying a store keeps jobs and worker tokens', () => {
  it('SQLite → MongoDB: jobs with their keys and states (the counter moves past them), tokens by hash', async () => {
    const { openSqliteStore } = await import('../../server/store/sqlite/index.js');
    const { copyStore } = await import('../../server/store/copy.js');
    const os = await import('node:os');
    const path = await import('node:path');
    const fs = await import('node:fs');
    const at = '2026-01-01T00:00:00.000Z';
    const from = openSqliteStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jobs-copy-')), 'y.db'));
    await from.importRuleSet({ jurisdiction: { id: 'j1', name: '一', parent: null, parameters: {}, vocabulary: {} }, definitions: [], forms: [], audit: [] });
    const instance = {
      id: 'c1', jurisdiction: 'j1', processKey: 'p', version: 1, definedAt: 'j1', status: 'incident' as const, startedAt: at, startedBy: 'u',
      endedAt: null, variables: {}, params: {}, active: [], incident: { elementId: 'e', message: 'm', at, command: { type: 'retryJob', key: '1' } }, engineState: null, revision: 1,
    };
    const job = (ref: string) => ({ instanceId: 'c1', ref, elementId: 'e', jurisdiction: 'j1', processKey: 'p', version: 1, type: 'sms', retries: 3, headers: {}, locals: null, createdAt: at });
    await from.instances.applyStep({ instance, expectedRevision: null, createTasks: [], cancelTaskRefs: [], history: [], timers: [], subscriptions: [], consumeMessageIds: [], results: [], audit: [], jobs: [job('r1'), job('r2')] });
    await from.jobs.change({ key: '1', from: 'open', now: at, set: { state: 'failed', retries: 0, errorMessage: 'x' } });
    const token = { id: 't1', name: '令牌', tokenHash: 'ef'.repeat(32), jurisdictions: ['j1'], createdAt: at, createdBy: 'a', revokedAt: null };
    await from.serviceTokens.create(token, { at, actor: 'a', action: 'serviceToken.issue', jurisdiction: 'j1', targetType: 'serviceToken', targetId: 't1' });

    const to = await openMongoStore(inject('mongodbUri'), `copy-${crypto.randomUUID().slice(0, 8)}`);
    await copyStore(from, to);
    expect(await to.jobs.get('1')).toEqual(await from.jobs.get('1'));
    expect(await to.jobs.get('2')).toEqual(await from.jobs.get('2'));
    expect(await to.serviceTokens.byHash(token.tokenHash)).toEqual(token);
    // A job created after the copy gets a key past the copied ones.
    await to.instances.applyStep({ instance: { ...instance, revision: 2 }, expectedRevision: 1, createTasks: [], cancelTaskRefs: [], history: [], timers: [], subscriptions: [], consumeMessageIds: [], results: [], audit: [], jobs: [job('r1'), job('r2'), job('r3')] });
    const [third] = await to.jobs.activate({ type: 'sms', jurisdictions: ['j1'], worker: 'w', now: at, deadline: '2026-01-02T00:00:00.000Z', max: 5 }).then((l) => l.filter((j) => j.ref === 'r3'));
    expect(Number(third!.key)).toBe(3);
    await Promise.all([from.close(), to.close()]);
  });
});
