// Ledger numbers for instances written before numbering existed: on upgrade both stores number them
// in opening order, per jurisdiction and Beijing-time year, and new ones continue from there.
import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import { describe, expect, inject, it } from 'vitest';
import { openMongoStore } from '../../server/store/mongodb/index.js';
import { migrations } from '../../server/store/sqlite/migrations.js';
import { openStoreAt } from '../../server/store/open.js';
import type { InstanceRecord, Store } from '../../server/store/index.js';
import { tempDir } from '../support/server.js';

// j1: two in 2026 (the second at 2026-12-31 17:00 UTC, already 2027 in Beijing), one in 2027; j2: one.
const OLD: [string, string, string][] = [
  ['a', 'j1', '2026-03-01T00:00:00.000Z'],
  ['b', 'j2', '2026-04-01T00:00:00.000Z'],
  ['c', 'j1', '2026-05-01T00:00:00.000Z'],
  ['d', 'j1', '2026-12-31T17:00:00.000Z'],
];
const EXPECTED = { a: '2026-0001', b: '2026-0001', c: '2026-0002', d: '2027-0001' };

const instance = (id: string, jurisdiction: string, startedAt: string): InstanceRecord => ({
  id, jurisdiction, processKey: 'p', version: 1, definedAt: jurisdiction, status: 'active', startedAt, startedBy: 'u', endedAt: null,
  variables: {}, params: {}, active: [], incident: null, engineState: null, revision: 1,
});

async function numbers(store: Store) {
  return Object.fromEntries(await Promise.all(Object.keys(EXPECTED).map(async (id) => [id, (await store.instances.get(id))!.no])));
}

async function startNew(store: Store, id: string, startedAt: string) {
  await store.instances.applyStep({
    instance: instance(id, 'j1', startedAt), expectedRevision: null, createTasks: [], cancelTaskRefs: [], history: [], timers: [], subscriptions: [],
    consumeMessageIds: [], results: [], audit: [],
  });
  return (await store.instances.get(id))!.no;
}

describe('numbering instances that predate it', () => {
  it('SQLite: the migration numbers existing instances; new ones continue', async () => {
    const file = path.join(tempDir('yishi-numbering-'), 'yishi.db');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    // The schema as it was before the numbering migration (later ones run after it, on open).
    const numbering = migrations.findIndex((sql) => sql.includes('case_no'));
    for (const [v, sql] of migrations.slice(0, numbering).entries()) (db.exec(sql), db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1));
    const ins = db.prepare(
      `INSERT INTO instances (id, jurisdiction, process_key, version, defined_at, status, started_at, started_by, variables, params, active, revision)
       VALUES (?, ?, 'p', 1, ?, 'active', ?, 'u', '{}', '{}', '[]', 1)`,
    );
    for (const [id, j, at] of OLD) ins.run(id, j, j, at);
    db.close();
    const store = await openStoreAt(`sqlite:${file}`);
    expect(await numbers(store)).toEqual(EXPECTED);
    expect(await startNew(store, 'e', '2026-06-01T00:00:00.000Z')).toBe('2026-0003');
    await store.close();
  });

  it('MongoDB: opening the store numbers existing instances; new ones continue', async () => {
    const uri = inject('mongodbUri');
    if (!uri) throw new Error(`no MongoDB-protocol server: ${inject('serversProblem')}`);
    const dbName = `numbering-${crypto.randomUUID().slice(0, 8)}`;
    const client = await MongoClient.connect(uri);
    await client.db(dbName).collection<{ _id: string }>('instances').insertMany(
      OLD.map(([id, j, at]) => ({ _id: id, jurisdiction: j, processKey: 'p', version: 1, definedAt: j, status: 'active', startedAt: at, startedBy: 'u', endedAt: null,
        variables: '{}', params: '{}', active: '[]', incident: 'null', engineState: 'null', revision: 1, journal: null })),
    );
    await client.close();
    const store = await openMongoStore(uri, dbName);
    expect(await numbers(store)).toEqual(EXPECTED);
    expect(await startNew(store, 'e', '2026-06-01T00:00:00.000Z')).toBe('2026-0003');
    await store.close();
  });
});
