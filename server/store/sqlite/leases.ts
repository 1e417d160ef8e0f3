// Leases: one row per held key; taking one (free, or lapsed by now) is one statement, so SQLite's
// own write lock makes it atomic across every process on the file.
import type Database from 'better-sqlite3';
import type { Store } from '../index.js';

export function leasesRepository(db: Database.Database): Store['leases'] {
  const take = db.prepare(
    `INSERT INTO leases (key, owner, until) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE leases.until <= ?`,
  );
  const release = db.prepare('DELETE FROM leases WHERE key = ? AND owner = ?');
  return {
    async acquire(key, owner, now, until) {
      return take.run(key, owner, until, now).changes === 1;
    },
    async release(key, owner) {
      release.run(key, owner);
    },
  };
}
