// Moves an installation from one store to another (SQLite → MongoDB, or back for a backup):
// every rule set with all its versions, users, instances with their tasks, history, timers,
// subscriptions, results and jobs (keys kept), job-worker tokens, buffered messages, attachments
// (their bytes streamed, checked by sha256), notifications with their outbox and read marks, and the
// audit trail. Sessions are not moved.
import crypto from 'node:crypto';
import type { AttachmentRecord, AttachmentUpload, DumpItem, Store } from './index.js';

export interface CopyReport {
  ruleSets: number;
  users: number;
  instances: number;
  tasks: number;
  messages: number;
  attachments: number;
  notifications: number;
  audit: number;
}

/** Copies everything from `from` into `to`, which must be empty. */
export async function copyStore(from: Store, to: Store, actor = 'migration'): Promise<CopyReport> {
  if (!(await to.isEmpty())) throw new Error(`the target ${to.kind} store is not empty; refusing to mix installations`);
  const report: CopyReport = { ruleSets: 0, users: 0, instances: 0, tasks: 0, messages: 0, attachments: 0, notifications: 0, audit: 0 };
  for await (const item of from.dump() as AsyncIterable<DumpItem>) {
    if ('ruleSet' in item) {
      await to.importRuleSet({ ...item.ruleSet, audit: [] });
      report.ruleSets++;
    } else if ('user' in item) {
      const at = new Date().toISOString();
      await to.users.create(item.user, { at, actor, action: 'user.migrate', jurisdiction: null, targetType: 'user', targetId: item.user.username });
      report.users++;
    } else if ('instance' in item) {
      const { instance, tasks, history, timers, subscriptions, results, jobs } = item.instance;
      await to.instances.applyStep({
        instance, expectedRevision: null, createTasks: tasks, cancelTaskRefs: [], history, timers, subscriptions,
        consumeMessageIds: [], results, audit: [], jobs,
      });
      report.instances++;
      report.tasks += tasks.length;
    } else if ('serviceToken' in item) {
      const t = item.serviceToken;
      await to.serviceTokens.create(t, { at: new Date().toISOString(), actor, action: 'serviceToken.migrate', jurisdiction: t.jurisdictions[0] ?? null, targetType: 'serviceToken', targetId: t.id });
    } else if ('message' in item) {
      await to.messages.buffer(item.message);
      report.messages++;
    } else if ('attachment' in item) {
      await copyAttachment(from, to, item.attachment, actor);
      report.attachments++;
    } else if ('notification' in item) {
      const { readBy, ...write } = item.notification;
      // Deliveries keep their state: what was sent stays sent, what was pending is sent by the target.
      await to.notifications.add([write]);
      for (const r of readBy) await to.notifications.markRead(write.notification.id, r.username, r.at);
      report.notifications++;
    } else {
      // Dumps give the trail last, oldest first, so it keeps its order in the target.
      await to.audit.append(item.audit);
      report.audit++;
    }
  }
  return report;
}

/** Streams one attachment's bytes across; a copy whose bytes differ from the record is refused. */
async function copyAttachment(from: Store, to: Store, record: AttachmentRecord, actor: string) {
  const { size: _size, sha256: _sha256, ...meta } = record;
  const copied = await to.attachments.create(meta, hashed(from.attachments.read(record.id)), (a) => ({
    at: new Date().toISOString(), actor, action: 'attachment.migrate', jurisdiction: a.jurisdiction, targetType: 'attachment', targetId: a.id,
  }));
  if (copied.sha256 !== record.sha256 || copied.size !== record.size) {
    throw new Error(`attachment ${record.id} arrived as ${copied.size} bytes sha256 ${copied.sha256}, expected ${record.size} bytes sha256 ${record.sha256}`);
  }
}

function hashed(source: AsyncIterable<Uint8Array>): AttachmentUpload {
  const hash = crypto.createHash('sha256');
  let size = 0;
  async function* chunks() {
    for await (const chunk of source) {
      size += chunk.length;
      hash.update(chunk);
      yield chunk;
    }
  }
  return { chunks: chunks(), summary: () => ({ size, sha256: hash.digest('hex') }) };
}
