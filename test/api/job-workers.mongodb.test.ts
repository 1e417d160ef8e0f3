// The job-worker suite (job-workers.suite.ts) on the MongoDB store, in a database of its own.
import crypto from 'node:crypto';
import { inject } from 'vitest';
import { jobWorkerSuite } from './job-workers.suite.js';

jobWorkerSuite(() => {
  const uri = inject('mongodbUri');
  if (!uri) throw new Error(`no MongoDB-protocol server: ${inject('serversProblem')}`);
  return { STORE: 'mongodb', MONGODB_URI: `${uri}jobs-${crypto.randomUUID().slice(0, 8)}` };
});
