import crypto from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describe, expect, inject, it } from 'vitest';
import { openMongoStore } from '../../server/store/mongodb/index.js';
import { storeContract } from './store.contract.js';

// A fresh database per store: the contract's tests must not see each other's data.
storeContract('mongodb', async () => {
  const uri = inject('mongodbUri');
  if (!uri) throw new Error(`no MongoDB-protocol server for the contract suite: ${inject('serversProblem')}`);
  return openMongoStore(uri, `contract-${crypto.randomUUID().slice(0, 8)}`);
});

describe('MongoDB store: journaled steps', () => {
  it('finishes on open a step that a crash cut off after its instance document was written', async () => {
    const uri = inject('mongodbUri');
    const dbName = `journal-${crypto.randomUUID().slice(0, 8)}`;
    const store = await openMongoStore(uri, dbName);
    const at = '2026-01-01T00:00:00.000Z';
    const instance = {
      id: 'i1', jurisdiction: 'j1', processKey: 'p', version: 1, definedAt: 'j1', status: 'active' as const, startedAt: at, startedBy: 'u',
      endedAt: null, variables: {}, params: {}, active: [], incident: null, engineState: null, revision: 1,
    };
    const task = {
      id: 't1', instanceId: 'i1', ref: 'r1', elementId: 'e', name: '任务', jurisdiction: 'j1', processKey: 'p', formKey: null, candidateGroups: ['staff'],
      assignee: null, status: 'open' as const, data: null, createdAt: at, due: null, completedAt: null, completedBy: null, version: 1,
    };
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
