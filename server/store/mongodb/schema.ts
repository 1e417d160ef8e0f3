// The collections and every index the API's queries use, with the query each one serves.
import type { Collection, Db } from 'mongodb';
import type { Doc } from './rows.js';

/** Every index the API's queries use, with the query each one serves. */
type CollectionName =
  | 'jurisdictions' | 'definitions' | 'decisions' | 'forms' | 'users' | 'sessions' | 'instances' | 'tasks'
  | 'history' | 'timers' | 'subscriptions' | 'messages' | 'results' | 'audit' | 'journal'
  | 'attachments' | 'notifications' | 'deliveries' | 'startSchedules' | 'startClaims' | 'jobs' | 'jobKeys' | 'jobClaims' | 'serviceTokens'
  | 'leases' | 'meta';

interface IndexSpec {
  key: Record<string, 1 | -1>;
  unique?: boolean;
  why: string;
}

const INDEXES: Record<CollectionName, IndexSpec[]> = {
  definitions: [{ key: { jurisdiction: 1, key: 1, version: -1 }, unique: true, why: 'latest/get/versions/listLatest; unique guards racing saves' }],
  decisions: [{ key: { jurisdiction: 1, key: 1, version: -1 }, unique: true, why: 'latest/get/listLatest of DMN documents; unique guards racing saves' }],
  forms: [{ key: { jurisdiction: 1, formKey: 1, version: -1 }, unique: true, why: 'latest/get/listLatest; unique guards racing saves' }],
  instances: [
    { key: { jurisdiction: 1, startedAt: -1, _id: -1 }, why: 'GET /api/instances?jurisdiction=, newest first' },
    { key: { parentId: 1 }, why: "a call activity's children (instance view, cancelling with the parent)" },
    { key: { status: 1, startedAt: -1, _id: -1 }, why: 'GET /api/instances?status=' },
    { key: { startedBy: 1, startedAt: -1, _id: -1 }, why: 'cases a user started (我发起的)' },
    { key: { journal: 1 }, why: 'finishing journaled steps on open (sparse in practice: null when done)' },
  ],
  tasks: [
    { key: { jurisdiction: 1, status: 1, createdAt: -1, _id: -1 }, why: 'GET /api/tasks?status= within the user’s jurisdictions' },
    { key: { candidateGroups: 1, status: 1, createdAt: -1, _id: -1 }, why: 'group tasks a user may claim (multikey)' },
    { key: { assignee: 1, status: 1, createdAt: -1 }, why: 'my tasks' },
    { key: { signers: 1, status: 1, createdAt: -1 }, why: 'tasks awaiting my 加签 approval (multikey)' },
    { key: { instanceId: 1, ref: 1 }, why: 'tasks of an instance; cancelling by engine ref' },
    { key: { status: 1, due: 1 }, why: 'overdue tasks' },
    { key: { completedBy: 1, status: 1, createdAt: -1 }, why: 'tasks a user completed (已办)' },
  ],
  history: [
    { key: { instanceId: 1, _id: 1 }, why: 'an instance’s timeline, in order' },
    { key: { readers: 1, type: 1 }, why: 'cases copied (抄送) to a user or group (multikey, only on CarbonCopy entries)' },
  ],
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
  attachments: [],
  notifications: [{ key: { audience: 1, at: -1, _id: -1 }, why: 'GET /api/notifications: the user’s audience keys, newest first (multikey)' }],
  deliveries: [{ key: { status: 1, nextAt: 1 }, why: 'the outbox sender’s due deliveries' }],
  sessions: [],
  users: [],
  jurisdictions: [],
  journal: [],
  startSchedules: [],
  startClaims: [],
  jobs: [
    { key: { key: 1 }, unique: true, why: 'a job by its key (the job API); unique guards the counter' },
    { key: { type: 1, key: 1 }, why: 'activation: jobs of a type, oldest first' },
    { key: { instanceId: 1 }, why: 'replacing an instance’s jobs with a step' },
  ],
  jobKeys: [],
  jobClaims: [],
  serviceTokens: [{ key: { tokenHash: 1 }, unique: true, why: 'a bearer token by its hash (every job API request)' }],
  leases: [],
  meta: [],
};

export type Collections = Record<CollectionName, Collection<Doc>>;

/** The store's collections, their indexes created first (createIndex is a no-op when one exists). */
export async function openCollections(db: Db): Promise<Collections> {
  for (const [name, indexes] of Object.entries(INDEXES)) {
    for (const ix of indexes) await db.collection(name).createIndex(ix.key, { unique: ix.unique ?? false });
  }
  const names = Object.keys(INDEXES) as CollectionName[];
  return Object.fromEntries(names.map((name) => [name, db.collection<Doc>(name)])) as Collections;
}
