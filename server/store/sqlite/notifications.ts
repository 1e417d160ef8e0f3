// Notifications (with an audience index and per-user read marks) and their outbox of deliveries.
import type Database from 'better-sqlite3';
import type { DeliveryRecord, NotificationRecord, NotificationWrite, Store } from '../index.js';
import { page } from './paging.js';
import { json, parse, placeholders, type Row } from './rows.js';

export const toNotification = (r: Row): NotificationRecord => ({
  id: r.id, at: r.at, kind: r.kind, title: r.title, body: r.body, jurisdiction: r.jurisdiction,
  instanceId: r.instance_id, taskId: r.task_id, audience: parse(r.audience),
});

export const toDelivery = (r: Row): DeliveryRecord => ({
  id: r.id, notificationId: r.notification_id, channel: parse(r.channel), status: r.status, attempts: r.attempts,
  nextAt: r.next_at, claimedUntil: r.claimed_until, lastError: r.last_error, sentAt: r.sent_at,
});

/** Inserts notifications not stored yet, with their audience rows and deliveries; callers run it in a transaction. */
export function notificationWriter(db: Database.Database): (writes: NotificationWrite[]) => number {
  const insNotification = db.prepare(
    'INSERT OR IGNORE INTO notifications (id, at, kind, title, body, jurisdiction, instance_id, task_id, audience) VALUES (?,?,?,?,?,?,?,?,?)',
  );
  const insAudience = db.prepare('INSERT OR IGNORE INTO notification_audience (notification_id, who, at) VALUES (?,?,?)');
  const insDelivery = db.prepare(
    'INSERT OR IGNORE INTO deliveries (id, notification_id, channel, status, attempts, next_at, claimed_until, last_error, sent_at) VALUES (?,?,?,?,?,?,?,?,?)',
  );
  return (writes) => {
    let added = 0;
    for (const { notification: n, deliveries } of writes) {
      if (insNotification.run(n.id, n.at, n.kind, n.title, n.body, n.jurisdiction, n.instanceId, n.taskId, json(n.audience)).changes !== 1) continue;
      added++;
      for (const who of n.audience) insAudience.run(n.id, who, n.at);
      for (const d of deliveries) {
        insDelivery.run(d.id, d.notificationId, json(d.channel), d.status, d.attempts, d.nextAt, d.claimedUntil, d.lastError, d.sentAt);
      }
    }
    return added;
  };
}

export function notificationsRepository(db: Database.Database): Store['notifications'] {
  const write = db.transaction(notificationWriter(db));
  return {
    async add(writes) {
      return write(writes);
    },
    async list(audience, username, q) {
      if (!audience.length) return { items: [], nextCursor: null };
      const from = `(SELECT n.*, EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.username = ?) AS is_read
        FROM notifications n WHERE n.id IN (SELECT notification_id FROM notification_audience WHERE who IN (${placeholders(audience.length)})))`;
      return page(
        db,
        { from, where: q.unread ? ['is_read = 0'] : [], params: [username, ...audience], sort: 'at', id: 'id' },
        q,
        (r) => ({ ...toNotification(r), read: r.is_read === 1 }),
        (r) => r.at,
      );
    },
    async get(id) {
      const r = db.prepare('SELECT * FROM notifications WHERE id=?').get(id) as Row | undefined;
      return r ? toNotification(r) : null;
    },
    async markRead(id, username, at) {
      db.prepare('INSERT OR IGNORE INTO notification_reads (notification_id, username, at) VALUES (?,?,?)').run(id, username, at);
    },
  };
}

export function deliveriesRepository(db: Database.Database): Store['deliveries'] {
  const claim = db.transaction((now: string, until: string, limit: number) => {
    const rows = db
      .prepare(`SELECT * FROM deliveries WHERE status='pending' AND next_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY next_at LIMIT ?`)
      .all(now, now, limit) as Row[];
    const hold = db.prepare('UPDATE deliveries SET claimed_until=? WHERE id=?');
    for (const r of rows) hold.run(until, r.id);
    return rows.map((r) => ({ ...toDelivery(r), claimedUntil: until }));
  });
  return {
    async claim(now, until, limit) {
      return claim(now, until, limit);
    },
    async settle(id, o) {
      db.prepare('UPDATE deliveries SET status=?, attempts=?, next_at=?, last_error=?, sent_at=?, claimed_until=NULL WHERE id=?').run(
        o.status, o.attempts, o.nextAt, o.lastError, o.sentAt, id,
      );
    },
    async get(id) {
      const r = db.prepare('SELECT * FROM deliveries WHERE id=?').get(id) as Row | undefined;
      return r ? toDelivery(r) : null;
    },
  };
}
