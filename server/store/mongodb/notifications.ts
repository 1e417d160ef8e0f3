// Notifications (read marks as a readBy set on the document) and their outbox of deliveries.
// Without transactions the deliveries go in first: a notification that is there has its deliveries.
import crypto from 'node:crypto';
import type { Filter } from 'mongodb';
import type { DeliveryRecord, NotificationRecord, NotificationWrite, Store } from '../index.js';
import { page } from './paging.js';
import { isDuplicate, parse, text, withoutId, type Doc } from './rows.js';
import type { Collections } from './schema.js';

export const toNotification = (d: Doc): NotificationRecord => ({
  id: d._id, at: d.at, kind: d.kind, title: d.title, body: d.body, jurisdiction: d.jurisdiction,
  instanceId: d.instanceId ?? null, taskId: d.taskId ?? null, audience: d.audience,
});

export const toDelivery = (d: Doc): DeliveryRecord => ({
  id: d._id, notificationId: d.notificationId, channel: parse(d.channel), status: d.status, attempts: d.attempts,
  nextAt: d.nextAt, claimedUntil: d.claimedUntil ?? null, lastError: d.lastError ?? null, sentAt: d.sentAt ?? null,
});

/** Idempotent: a replay (after a crash) finds the documents there and adds nothing. */
export function notificationWriter({ notifications, deliveries }: Collections): (writes: NotificationWrite[]) => Promise<number> {
  return async (writes) => {
    let added = 0;
    for (const w of writes) {
      for (const d of w.deliveries) {
        await deliveries.insertOne({ _id: d.id, ...withoutId(d), channel: text(d.channel) }).catch((err) => {
          if (!isDuplicate(err)) throw err;
        });
      }
      const n = w.notification;
      try {
        await notifications.insertOne({ _id: n.id, ...withoutId(n), readBy: [] });
        added++;
      } catch (err) {
        if (!isDuplicate(err)) throw err;
      }
    }
    return added;
  };
}

export function notificationsRepository(cols: Collections): Store['notifications'] {
  const { notifications } = cols;
  const write = notificationWriter(cols);
  return {
    add: write,
    async list(audience, username, q) {
      if (!audience.length) return { items: [], nextCursor: null };
      const filter: Filter<Doc> = { audience: { $in: audience }, ...(q.unread ? { readBy: { $ne: username } } : {}) };
      return page(notifications, filter, 'at', q, (d) => ({ ...toNotification(d), read: (d.readBy as string[]).includes(username) }));
    },
    async get(id) {
      const d = await notifications.findOne({ _id: id });
      return d ? toNotification(d) : null;
    },
    async markRead(id, username) {
      await notifications.updateOne({ _id: id }, { $addToSet: { readBy: username } });
    },
  };
}

export function deliveriesRepository({ deliveries }: Collections, leases: Store['leases']): Store['deliveries'] {
  const key = (id: string) => `delivery:${id}`;
  const due = (now: string): Filter<Doc> => ({ status: 'pending', nextAt: { $lte: now }, $or: [{ claimedUntil: null }, { claimedUntil: { $lte: now } }] });
  return {
    // A conditional update is not atomic on every server this store runs on: a sender holds a
    // delivery by its lease (a unique insert), and only the holder writes its claim and outcome.
    async claim(now, until, limit) {
      const claimed: DeliveryRecord[] = [];
      const owner = crypto.randomUUID();
      for (const candidate of await deliveries.find(due(now)).sort({ nextAt: 1 }).limit(limit).toArray()) {
        if (!(await leases.acquire(key(candidate._id), owner, now, until))) continue;
        // Settled by its previous holder between the query and the lease: nothing to send.
        if (!(await deliveries.countDocuments({ _id: candidate._id, ...due(now) }, { limit: 1 }))) {
          await leases.release(key(candidate._id), owner);
          continue;
        }
        await deliveries.updateOne({ _id: candidate._id }, { $set: { claimedUntil: until, claimedBy: owner } });
        claimed.push(toDelivery({ ...candidate, claimedUntil: until }));
      }
      return claimed;
    },
    async settle(id, o) {
      const held = await deliveries.findOne({ _id: id });
      await deliveries.updateOne({ _id: id }, { $set: { ...o, claimedUntil: null, claimedBy: null } });
      if (held?.claimedBy) await leases.release(key(id), held.claimedBy);
    },
    async get(id) {
      const d = await deliveries.findOne({ _id: id });
      return d ? toDelivery(d) : null;
    },
  };
}
