// Instances and what their steps leave behind to read: history, due timers, published results.
import { ObjectId, type Filter } from 'mongodb';
import { ConflictError, type StepChange, type Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { caseMatch } from './cases.js';
import { page } from './paging.js';
import { pad, str, text, toHistory, toInstance, toResult, toTimer, type Doc } from './rows.js';
import type { Collections } from './schema.js';
import type { Exclusive } from './leases.js';
import { instanceKey } from './steps.js';

export function instancesRepository(
  { instances, history, tasks }: Collections,
  applyStep: (change: StepChange) => Promise<void>,
  recover: () => Promise<number>,
  appendAudit: AppendAudit,
  exclusive: Exclusive,
): Store['instances'] {
  return {
    async get(id) {
      const d = await instances.findOne({ _id: str(id) });
      return d ? toInstance(d) : null;
    },
    async list(q) {
      const filter: Filter<Doc> = {};
      if (q.jurisdictions) filter.jurisdiction = { $in: q.jurisdictions };
      if (q.processKey) filter.processKey = q.processKey;
      if (q.status) filter.status = q.status;
      if (q.parentId) filter.parentId = q.parentId;
      if (q.startedBy) filter.startedBy = q.startedBy;
      if (q.readers) filter._id = { $in: await history.distinct('instanceId', { type: 'CarbonCopy', readers: { $in: q.readers.map(str) } }) };
      return page(instances, q.q ? { $and: [filter, caseMatch(q.q)] } : filter, 'startedAt', q, toInstance);
    },
    async history(id) {
      return (await history.find({ instanceId: str(id) }).sort({ _id: 1 }).toArray()).map(toHistory);
    },
    applyStep,
    recover,
    async note(note) {
      const a = note.assign;
      if (a) {
        // Under the lease its instance's steps hold: the version checked is the version overwritten.
        await exclusive(instanceKey(str(note.instanceId)), async () => {
          const guard = { _id: str(a.taskId), instanceId: note.instanceId, status: 'open', version: a.expectedVersion };
          if (!(await tasks.countDocuments(guard, { limit: 1 }))) throw new ConflictError(`task ${a.taskId} changed meanwhile or is no longer open`);
          await tasks.updateOne(guard, { $set: { assignee: a.assignee, ...(a.data ? { data: text(a.data) } : {}) }, $inc: { version: 1 } });
        });
      }
      // Sorted after the entries of the step that made the current revision, before the next step's,
      // and among notes by an ObjectId (time, then a counter: increasing within the process).
      const inst = await instances.findOne({ _id: str(note.instanceId) });
      const prefix = `${note.instanceId}:${pad(inst?.revision ?? 0, 9)}:~${new ObjectId().toHexString()}`;
      if (note.history.length) {
        await history.insertMany(
          note.history.map((h, n) => ({
            _id: `${prefix}:${pad(n, 4)}`, ...h, data: text(h.data),
            // Readers of a copy (抄送) as a plain array, so that "copied to me" is a query.
            ...(Array.isArray(h.data?.readers) ? { readers: h.data.readers } : {}),
          })),
        );
      }
      await appendAudit(note.audit);
    },
  };
}

export function timersRepository({ timers }: Collections): Store['timers'] {
  return {
    async due(now, limit) {
      return (await timers.find({ dueAt: { $lte: now } }).sort({ dueAt: 1 }).limit(limit).toArray()).map(toTimer);
    },
  };
}

export function resultsRepository({ results }: Collections): Store['results'] {
  return {
    async list(jurisdictionIds, q) {
      return page(results, { jurisdiction: { $in: jurisdictionIds } }, 'publishedAt', q, toResult);
    },
  };
}
