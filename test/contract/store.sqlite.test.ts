import path from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import { tempDir } from '../support/server.js';
import { storeContract } from './store.contract.js';

storeContract('sqlite', async () => openSqliteStore(path.join(tempDir(), 'store.db')));
