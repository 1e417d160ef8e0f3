// The whole store, item by item (parents before children), for store/copy.ts.
import type Database from 'better-sqlite3';
import type { Store } from '../index.js';
import { parentsFirst } from '../tree.js';
import { toJob } from './jobs.js';
import { toToken } from './service-tokens.js';
import {
  toAudit,
  toDefinition,
  toForm,
  toHistory,
  toInstance,
  toJurisdiction,
  toMessage,
  toResult,
  toSubscription,
  toTask,
  toTimer,
  toUser,
  type Row,
} from './rows.js';
import { toAttachment } from './attachments.js';
import { toDelivery, toNotification } from './notifications.js';

export function dumper(db: Database.Database): Store['dump'] {
  return async function* dump() {
    const all = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as Row[];
    for (const j of parentsFirst(all('SELECT * FROM jurisdictions').map(toJurisdiction), (j) => j)) {
      yield {
        ruleSet: {
          jurisdiction: j,
          definitions: all('SELECT * FROM definitions WHERE jurisdiction=? ORDER BY key, version', j.id).map(toDefinition),
          forms: all('SELECT * FROM forms WHERE jurisdiction=? ORDER BY form_key, version', j.id).map(toForm),
          decisions: all('SELECT * FROM decisions WHERE jurisdiction=? ORDER BY key, version', j.id).map(toDefinition),
          audit: [],
        },
      };
    }
    for (const u of all('SELECT * FROM users ORDER BY username')) yield { user: toUser(u) };
    for (const t of all('SELECT * FROM service_tokens ORDER BY created_at, id')) yield { serviceToken: toToken(t) };
    for (const r of db.prepare('SELECT * FROM instances ORDER BY started_at, id').iterate() as IterableIterator<Row>) {
      yield {
        instance: {
          instance: toInstance(r),
          tasks: all('SELECT * FROM tasks WHERE instance_id=? ORDER BY created_at, id', r.id).map(toTask),
          history: all('SELECT * FROM history WHERE instance_id=? ORDER BY seq', r.id).map(toHistory),
          timers: all('SELECT * FROM timers WHERE instance_id=?', r.id).map(toTimer),
          subscriptions: all('SELECT * FROM subscriptions WHERE instance_id=?', r.id).map(toSubscription),
          results: all('SELECT * FROM results WHERE instance_id=?', r.id).map(toResult),
          jobs: all('SELECT * FROM jobs WHERE instance_id=? ORDER BY key', r.id).map(toJob),
        },
      };
    }
    for (const m of all('SELECT * FROM messages ORDER BY created_seq')) yield { message: toMessage(m) };
    for (const a of all('SELECT * FROM attachments ORDER BY created_at, id')) yield { attachment: toAttachment(a) };
    for (const n of db.prepare('SELECT * FROM notifications ORDER BY at, id').iterate() as IterableIterator<Row>) {
      yield {
        notification: {
          notification: toNotification(n),
          deliveries: all('SELECT * FROM deliveries WHERE notification_id=? ORDER BY id', n.id).map(toDelivery),
          readBy: all('SELECT username, at FROM notification_reads WHERE notification_id=? ORDER BY username', n.id).map((r) => ({ username: r.username, at: r.at })),
        },
      };
    }
    for (const a of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>) {
      const { id: _id, ...entry } = toAudit(a);
      yield { audit: entry };
    }
  };
}
