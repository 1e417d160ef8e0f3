// Tasks: the inbox queries (by jurisdiction, assignee, candidate group, overdue) and claiming.
import type { Filter } from 'mongodb';
import { ConflictError, type Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { taskCaseFilter } from './cases.js';
import { page } from './paging.js';
import { str, toTask, type Doc } from './rows.js';
import type { Collections } from './schema.js';
import type { Exclusive } from './leases.js';
import { instanceKey } from './steps.js';

export function tasksRepository({ tasks, instances }: Collections, appendAudit: AppendAudit, exclusive: Exclusive): Store['tasks'] {
  return {
    async get(id) {
      const d = await tasks.findOne({ _id: str(id) });
      return d ? toTask(d) : null;
    },
    async list(q) {
      const filter: Filter<Doc> = {};
      if (q.jurisdictions) filter.jurisdiction = { $in: q.jurisdictions };
      if (q.status) filter.status = q.status;
      // Theirs: assigned to them, or open and awaiting their 加签 approval.
      if (typeof q.assignee === 'string') filter.$or = [{ assignee: str(q.assignee) }, { signers: str(q.assignee), status: 'open' }];
      else if (q.assignee === null) filter.assignee = null;
      if (q.candidateGroups) filter.candidateGroups = { $in: q.candidateGroups };
      if (q.overdueAt) filter.due = { $ne: null, $lt: q.overdueAt };
      if (q.instanceId) filter.instanceId = q.instanceId;
      if (q.completedBy) filter.completedBy = q.completedBy;
      if (q.q) Object.assign(filter, await taskCaseFilter(instances, q.q));
      // Overdue lists run most overdue first (index status + due).
      return q.overdueAt ? page(tasks, filter, 'due', q, toTask, true) : page(tasks, filter, 'createdAt', q, toTask);
    },
    async assign(id, expectedVersion, assignee, entry) {
      const t = await tasks.findOne({ _id: str(id) });
      const changed = () => new ConflictError(`task ${id} changed meanwhile or is no longer open`);
      if (!t) throw changed();
      // Under the lease its instance's steps hold: the version checked is the version overwritten.
      await exclusive(instanceKey(t.instanceId), async () => {
        if (!(await tasks.countDocuments({ _id: id, status: 'open', version: expectedVersion }, { limit: 1 }))) throw changed();
        await tasks.updateOne({ _id: id, status: 'open', version: expectedVersion }, { $set: { assignee }, $inc: { version: 1 } });
      });
      await appendAudit(entry);
    },
  };
}
