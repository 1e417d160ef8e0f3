import crypto from 'node:crypto';
import { inject } from 'vitest';
import { openMongoStore } from '../../server/store/mongodb/index.js';
import { storeContract } from './store.contract.js';

// A fresh database per store: the contract's tests must not see each other's data.
storeContract('mongodb', async () => {
  const uri = inject('mongodbUri');
  if (!uri) throw new Error(`no MongoDB-protocol server for the contract suite: ${inject('serversProblem')}`);
  return openMongoStore(uri, `contract-${crypto.randomUUID().slice(0, 8)}`);
});
