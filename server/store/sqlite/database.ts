// Opens the SQLite file (WAL, synchronous=FULL so an acknowledged write survives a crash) and
// brings its schema up to date.
import Database from 'better-sqlite3';
import { migrations } from './migrations.js';
import type { Row } from './rows.js';

function migrate(db: Database.Database) {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const version = () => ((db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as Row).v ?? 0) as number;
  for (let v = version(); v < migrations.length; v++) {
    db.transaction(() => {
      // Another process starting on the same file may have applied it meanwhile.
      if (version() > v) return;
      db.exec(migrations[v]);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
    })();
  }
}

/**
 * better-sqlite3 compiles SQL anew on every prepare (about 5 % of a completion's CPU): each text
 * is compiled once and its statement reused, unless that one is still iterating (a dump). Texts
 * vary only with the length of IN lists, so the cache stays small; it is bounded all the same.
 */
function prepareOnce(db: Database.Database) {
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((source: string) => {
    let s = statements.get(source);
    if (!s || s.busy) {
      if (statements.size >= 1000) statements.clear();
      s = prepare(source);
      statements.set(source, s);
    }
    return s;
  }) as typeof db.prepare;
}

/**
 * Several processes may share the file (docs/deploy.md): every transaction takes SQLite's write lock
 * at BEGIN (BEGIN IMMEDIATE, waiting up to busy_timeout for another process's), since one that read
 * first cannot take it once another process committed meanwhile (SQLITE_BUSY at once, no waiting).
 * Nested transactions stay savepoints.
 */
function immediateTransactions(db: Database.Database) {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: never[]) => unknown) => transaction(fn).immediate) as typeof db.transaction;
}

export function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  prepareOnce(db);
  immediateTransactions(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
