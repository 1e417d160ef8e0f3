// Opens the SQLite file (WAL, synchronous=FULL so an acknowledged write survives a crash) and
// brings its schema up to date.
import Database from 'better-sqlite3';
import { migrations } from './migrations.js';
import type { Row } from './rows.js';

function migrate(db: Database.Database) {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as Row).v ?? 0;
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
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

export function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  prepareOnce(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
