// The whole store, item by item (parents before children), for store/copy.ts.
import type { Store } from '../index.js';
import { parentsFirst } from '../tree.js';
import { toAudit, toDefinition, toForm, toHistory, toInstance, toJurisdiction, toMessage, toResult, toSubscription, toTask, toTimer, toUser } from './rows.js';
import type { Collections } from './schema.js';
import { toAttachment } from './attachments.js';
import { toJob } from './jobs.js';
import { toDelivery, toNotification } from './notifications.js';
import { toToken } from './service-tokens.js';

export function dumper(cols: Collections): Store['dump'] {
  const { jurisdictions, definitions, decisions, forms, users, instances, tasks, history, timers, subscriptions, messages, results, attachments, notifications, deliveries, audit, jobs, serviceTokens } = cols;
  return async function* dump() {
    for (const j of parentsFirst((await jurisdictions.find({}).toArray()).map(toJurisdiction), (j) => j)) {
      yield {
        ruleSet: {
          jurisdiction: j,
          definitions: (await definitions.find({ jurisdiction: j.id }).sort({ key: 1, version: 1 }).toArray()).map(toDefinition),
          forms: (await forms.find({ jurisdiction: j.id }).sort({ formKey: 1, version: 1 }).toArray()).map(toForm),
          decisions: (await decisions.find({ jurisdiction: j.id }).sort({ key: 1, version: 1 }).toArray()).map(toDefinition),
          audit: [],
        },
      };
    }
    for await (const u of users.find({}).sort({ _id: 1 })) yield { user: toUser(u) };
    for await (const t of serviceTokens.find({}).sort({ createdAt: 1, _id: 1 })) yield { serviceToken: toToken(t) };
    for await (const d of instances.find({}).sort({ startedAt: 1, _id: 1 })) {
      const instanceId = d._id;
      yield {
        instance: {
          instance: toInstance(d),
          tasks: (await tasks.find({ instanceId }).sort({ createdAt: 1, _id: 1 }).toArray()).map(toTask),
          history: (await history.find({ instanceId }).sort({ _id: 1 }).toArray()).map(toHistory),
          timers: (await timers.find({ instanceId }).toArray()).map(toTimer),
          subscriptions: (await subscriptions.find({ instanceId }).toArray()).map(toSubscription),
          results: (await results.find({ instanceId }).toArray()).map(toResult),
          jobs: (await jobs.find({ instanceId }).sort({ key: 1 }).toArray()).map(toJob),
        },
      };
    }
    for await (const m of messages.find({}).sort({ seq: 1 })) yield { message: toMessage(m) };
    for await (const a of attachments.find({}).sort({ createdAt: 1, _id: 1 })) yield { attachment: toAttachment(a) };
    for await (const n of notifications.find({}).sort({ at: 1, _id: 1 })) {
      yield {
        notification: {
          notification: toNotification(n),
          deliveries: (await deliveries.find({ notificationId: n._id }).sort({ _id: 1 }).toArray()).map(toDelivery),
          // Read marks are kept without their time here: the notification's own stands in.
          readBy: ((n.readBy as string[] | undefined) ?? []).map((username) => ({ username, at: n.at as string })),
        },
      };
    }
    for await (const a of audit.find({}).sort({ _id: 1 })) {
      const { id: _id, ...entry } = toAudit(a);
      yield { audit: entry };
    }
  };
}
