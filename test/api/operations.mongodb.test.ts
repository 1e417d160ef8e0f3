// The approval operations on the MongoDB store (see operations.suite.ts), in a database of their own.
import crypto from 'node:crypto';
import { inject } from 'vitest';
import { operationsSuite } from './operations.suite.js';

operationsSuite(() => {
  const uri = inject('mongodbUri');
  if (!uri) throw new Error(`no MongoDB-protocol server: ${inject('serversProblem')}`);
  return { STORE: 'mongodb', MONGODB_URI: `${uri}operations-${crypto.randomUUID().slice(0, 8)}` };
});
