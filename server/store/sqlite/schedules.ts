// Timer start schedules: a conditional update moves a due time on, so one writer wins each firing.
import type Database from 'better-sqlite3';
import type { StartSchedule, Store } from '../index.js';
import { json, parse, type Row } from './rows.js';

const toSchedule = (r: Row): StartSchedule => ({
  jurisdiction: r.jurisdiction, processKey: r.process_key, definition: r.definition, dueAt: r.due_at, repeat: parse(r.repeat),
});

export function startSchedulesRepository(db: Database.Database): Store['startSchedules'] {
  return {
    async list() {
      return (db.prepare('SELECT * FROM start_schedules ORDER BY jurisdiction, process_key').all() as Row[]).map(toSchedule);
    },
    async swap(expected, next) {
      if (!expected) {
        return db
          .prepare('INSERT OR IGNORE INTO start_schedules (jurisdiction, process_key, definition, due_at, repeat) VALUES (?,?,?,?,?)')
          .run(next.jurisdiction, next.processKey, next.definition, next.dueAt, json(next.repeat)).changes === 1;
      }
      return db
        .prepare('UPDATE start_schedules SET definition=?, due_at=?, repeat=? WHERE jurisdiction=? AND process_key=? AND definition=? AND due_at IS ?')
        .run(next.definition, next.dueAt, json(next.repeat), expected.jurisdiction, expected.processKey, expected.definition, expected.dueAt).changes === 1;
    },
  };
}
