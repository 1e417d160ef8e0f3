// Message correlation: open subscriptions and buffered messages waiting for one.
import { SIGNAL_KEY, type BufferedMessage, type Store } from '../index.js';
import { str, text, toMessage, toSubscription } from './rows.js';
import type { Collections } from './schema.js';

export function messagesRepository({ messages, subscriptions }: Collections): Store['messages'] {
  let messageSeq = 0;
  return {
    async findSubscription(name, correlationKey) {
      const d = await subscriptions.findOne({ messageName: str(name), correlationKey: str(correlationKey) });
      return d ? toSubscription(d) : null;
    },
    async signalSubscriptions(name) {
      return (await subscriptions.find({ messageName: str(name), correlationKey: SIGNAL_KEY }).toArray()).map(toSubscription);
    },
    async buffer(m) {
      await messages.insertOne({ _id: m.id, name: m.name, correlationKey: m.correlationKey, variables: text(m.variables), expiresAt: m.expiresAt, seq: Date.now() * 1000 + (messageSeq++ % 1000) });
    },
    async matching(subs, now) {
      const found: BufferedMessage[] = [];
      for (const s of subs) {
        const docs = await messages.find({ name: s.messageName, correlationKey: s.correlationKey, expiresAt: { $gt: now } }).sort({ seq: 1 }).toArray();
        found.push(...docs.map(toMessage));
      }
      return found;
    },
  };
}
