// Message correlation: open subscriptions and buffered messages waiting for one.
import type Database from 'better-sqlite3';
import { SIGNAL_KEY, type BufferedMessage, type Store } from '../index.js';
import { json, toMessage, toSubscription, type Row } from './rows.js';

export function messagesRepository(db: Database.Database): Store['messages'] {
  let messageSeq = 0;
  return {
    async findSubscription(name, correlationKey) {
      const r = db.prepare('SELECT * FROM subscriptions WHERE message_name=? AND correlation_key=? LIMIT 1').get(name, correlationKey) as
        | Row
        | undefined;
      return r ? toSubscription(r) : null;
    },
    async signalSubscriptions(name) {
      return (db.prepare('SELECT * FROM subscriptions WHERE message_name=? AND correlation_key=? ORDER BY rowid').all(name, SIGNAL_KEY) as Row[]).map(toSubscription);
    },
    async buffer(m) {
      db.prepare('INSERT INTO messages (id, name, correlation_key, variables, expires_at, created_seq) VALUES (?,?,?,?,?,?)').run(
        m.id, m.name, m.correlationKey, json(m.variables), m.expiresAt, Date.now() * 1000 + (messageSeq++ % 1000),
      );
    },
    async matching(subs, now) {
      const found: BufferedMessage[] = [];
      const q = db.prepare('SELECT * FROM messages WHERE name=? AND correlation_key=? AND expires_at > ? ORDER BY created_seq');
      for (const s of subs) found.push(...(q.all(s.messageName, s.correlationKey, now) as Row[]).map(toMessage));
      return found;
    },
  };
}
