// Instances and what their steps leave behind to read: history, due timers, published results.
import type { Filter } from 'mongodb';
import type { Store } from '../index.js';
import { caseMatch } from './cases.js';
import { page } from './paging.js';
import { str, toHistory, toInstance, toResult, toTimer, type Doc } from './rows.js';
import type { Collections } from './schema.js';

export function instancesRepository(
  { instances, history }: Collections,
  { applyStep, note }: Pick<Store['instances'], 'applyStep' | 'note'>,
  recover: () => Promise<number>,
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
    note,
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
