// Jobs for external workers. A job's document is named after its instance and wait (a replayed
// step finds it there); its key comes from a counter. Racing conditional updates may both match on
// some servers this store runs on (FerretDB), unique ids never do: an activation first inserts a
// claim named after the job and its activation count, and only the insert that wins takes the job.
import type { Filter } from 'mongodb';
import { type JobChange, type JobRecord, type JobWrite, type StepChange, type Store } from '../index.js';
import { isDuplicate, parse, text, type Doc } from './rows.js';
import type { AppendAudit } from './audit.js';
import type { Collections } from './schema.js';

export const toJob = (d: Doc): JobRecord => ({
  key: String(d.key), instanceId: d.instanceId, ref: d.ref, elementId: d.elementId, jurisdiction: d.jurisdiction,
  processKey: d.processKey, version: d.version, type: d.type, retries: d.retries, headers: d.headers, locals: parse(d.locals),
  state: d.state, worker: d.worker ?? null, deadline: d.deadline ?? null, retryAt: d.retryAt ?? null,
  errorMessage: d.errorMessage ?? null, createdAt: d.createdAt,
});

const retrying = (now: string) => ({ state: 'failed', retries: { $gt: 0 }, retryAt: { $lte: now } });
const activatable = (now: string): Filter<Doc> => ({ $or: [{ state: 'activatable' }, retrying(now), { state: 'activated', deadline: { $lte: now } }] });
const GUARDS: Record<JobChange['from'], (now: string) => Filter<Doc>> = {
  open: (now) => ({ $or: [{ state: { $in: ['activatable', 'activated'] } }, retrying(now)] }),
  stuck: () => ({ $or: [{ state: 'failed', retries: { $lte: 0 } }, { state: 'errorThrown' }] }),
};

function changer({ jobs }: Collections) {
  return async (c: JobChange): Promise<boolean> => {
    const set = { state: c.set.state, errorMessage: c.set.errorMessage ?? null, retryAt: c.set.retryAt ?? null, worker: null, deadline: null, ...(c.set.retries !== undefined && { retries: c.set.retries }) };
    const res = await jobs.updateOne({ key: Number(c.key), ...GUARDS[c.from](c.now) }, { $set: set });
    return res.matchedCount === 1;
  };
}

/** The jobs part of a journaled step: idempotent, so a replay after a crash changes nothing more. */
export function jobStepWriter(cols: Collections) {
  const { jobs, jobKeys } = cols;
  // The counter's first upserts can race (two servers' first jobs): the loser's insert hits the
  // unique key, and the retry finds the counter there.
  const once = async <T>(write: () => Promise<T>): Promise<T> => write().catch((err) => {
    if (!isDuplicate(err)) throw err;
    return write();
  });
  const nextKey = async () => (await once(() => jobKeys.findOneAndUpdate({ _id: 'jobs' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' })))!.seq as number;
  /** A whole record (a store copy) keeps its key; the counter moves past it. */
  const insertWhole = async (j: JobRecord) => {
    await once(() => jobKeys.updateOne({ _id: 'jobs' }, { $max: { seq: Number(j.key) } }, { upsert: true }));
    try {
      await jobs.insertOne({ _id: `${j.instanceId}:${j.ref}`, ...j, key: Number(j.key), locals: text(j.locals), activations: 0 });
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
  };
  const upsert = async (j: JobWrite) => {
    const _id = `${j.instanceId}:${j.ref}`;
    if ((await jobs.updateOne({ _id }, { $set: { locals: text(j.locals), elementId: j.elementId, version: j.version } })).matchedCount) return;
    try {
      await jobs.insertOne({ _id, ...j, key: await nextKey(), locals: text(j.locals), state: 'activatable', activations: 0 });
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
  };
  return {
    /** The guarded change, before the rest of the step (undone by the caller when it fails). */
    change: changer(cols),
    async write(instanceId: string, c: Pick<StepChange, 'jobs'>) {
      if (!c.jobs) return;
      await jobs.deleteMany({ instanceId, ref: { $nin: c.jobs.map((j) => j.ref) } });
      for (const j of c.jobs) await ('key' in j ? insertWhole(j) : upsert(j));
    },
  };
}

export function jobsRepository(cols: Collections, appendAudit: AppendAudit): Store['jobs'] {
  const { jobs, jobClaims } = cols;
  const change = changer(cols);
  return {
    async get(key) {
      if (!/^\d{1,15}$/.test(key)) return null;
      const d = await jobs.findOne({ key: Number(key) });
      return d ? toJob(d) : null;
    },
    async activate(q, audit) {
      if (!q.jurisdictions.length || q.max < 1) return [];
      const candidates = await jobs.find({ type: q.type, jurisdiction: { $in: q.jurisdictions }, ...activatable(q.now) }).sort({ key: 1 }).limit(q.max).toArray();
      const taken: JobRecord[] = [];
      for (const d of candidates) {
        const claim = `${d.key}/${d.activations}`;
        try {
          await jobClaims.insertOne({ _id: claim, at: q.now });
        } catch (err) {
          if (isDuplicate(err)) continue;
          throw err;
        }
        const after = await jobs.findOneAndUpdate(
          { _id: d._id, activations: d.activations },
          { $set: { state: 'activated', worker: q.worker, deadline: q.deadline, retryAt: null }, $inc: { activations: 1 } },
          { returnDocument: 'after' },
        );
        // Once the count moved on, a late racer's claim cannot match it any more: the claim has done its work.
        await jobClaims.deleteOne({ _id: claim });
        if (after) taken.push(toJob(after));
      }
      if (taken.length && audit) for (const entry of audit(taken)) await appendAudit(entry);
      return taken;
    },
    change,
    async update(key, now, set) {
      const guard = set.deadline ? { state: 'activated', deadline: { $gt: now } } : GUARDS.open(now);
      const fields = { ...(set.retries !== undefined && { retries: set.retries }), ...(set.deadline && { deadline: set.deadline }) };
      return (await jobs.updateOne({ key: Number(key), ...guard }, { $set: fields })).matchedCount === 1;
    },
  };
}
