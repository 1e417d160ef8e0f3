// Opens a store from a location: `sqlite:<file>` or a `mongodb://` / `mongodb+srv://` URI.
import type { Store } from './index.js';
import { openMongoStore } from './mongodb/index.js';
import { openSqliteStore } from './sqlite/index.js';

export async function openStoreAt(location: string): Promise<Store> {
  if (location.startsWith('sqlite:')) return openSqliteStore(location.slice('sqlite:'.length));
  if (/^mongodb(\+srv)?:\/\//.test(location)) return openMongoStore(location);
  throw new Error(`unknown store location ${location} (expected sqlite:<file> or mongodb://…)`);
}
