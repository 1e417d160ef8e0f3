// Engine steps: the step rides on the instance document (journal field, written atomically with
// the revision guard) until its idempotent writes to the other collections are done.
import type { Collection } from 'mongodb';
import { ConflictError, type StepChange } from '../index.js';
import { upsertJournaledAudit } from './audit.js';
import { fromInstance, fromTask, isDuplicate, pad, parse, text, withoutId, type Doc } from './rows.js';
import { notificationWriter } from './notifications.js';
import type { Collections } from './schema.js';
import { insertNumbered } from './cases.js';
import { jobStepWriter } from './jobs.js';

type Journaled = Omit<StepChange, 'instance' | 'expectedRevision' | 'completeTask'> & { completeTask?: StepChange['completeTask'] };
const stepOf = (c: StepChange): Journaled => {
  const { instance: _i, expectedRevision: _e, ...rest } = c;
  return rest;
};

/** Inserts in one round trip; documents already there (a replay after a crash) are left as they are. */
async function insertNew(coll: Collection<Doc>, docs: Doc[]) {
  if (!docs.length) return;
  try {
    await coll.insertMany(docs, { ordered: false });
  } catch (err) {
    const errors = (err as { writeErrors?: { code: number }[] | { code: number } }).writeErrors;
    const list = Array.isArray(errors) ? errors : errors ? [errors] : [];
    if (!list.length || list.some((e) => e.code !== 11000)) throw err;
  }
}

export function journaledSteps(cols: Collections) {
  const { instances, tasks, history, timers, subscriptions, messages, results } = cols;
  const writeNotifications = notificationWriter(cols);
  const jobWriter = jobStepWriter(cols);

  /** The idempotent rest of a step whose instance document already holds it. */
  async function applyJournaled(instanceId: string, revision: number, s: Journaled) {
    const prefix = `${instanceId}:${pad(revision, 9)}`;
    if (s.cancelTaskRefs.length) {
      await tasks.updateMany({ instanceId, status: 'open', ref: { $in: s.cancelTaskRefs } }, { $set: { status: 'cancelled' }, $inc: { version: 1 } });
    }
    // One round trip each, and idempotent: a replay after a crash finds them already there.
    await insertNew(tasks, s.createTasks.map(fromTask));
    await insertNew(history, s.history.map((h, n) => ({ _id: `${prefix}:${pad(n, 4)}`, ...h, data: text(h.data) })));
    await timers.deleteMany({ instanceId });
    if (s.timers.length) await timers.insertMany(s.timers.map((t) => ({ _id: `${instanceId}:${t.ref}`, ...t })));
    await subscriptions.deleteMany({ instanceId });
    if (s.subscriptions.length) await subscriptions.insertMany(s.subscriptions.map((x) => ({ _id: `${instanceId}:${x.ref}`, ...x })));
    for (const r of s.results) await results.replaceOne({ _id: r.id }, { _id: r.id, ...withoutId(r), content: text(r.content) }, { upsert: true });
    await upsertJournaledAudit(cols, prefix, s.audit);
    if (s.notifications) await writeNotifications(s.notifications);
    await jobWriter.write(instanceId, s);
    await instances.updateOne({ _id: instanceId, revision }, { $set: { journal: null } });
  }

  /** Completes a task when it is still open at the version the step was computed from. */
  const completeTask = (t: NonNullable<StepChange['completeTask']>) =>
    tasks.updateOne(
      { _id: t.id, status: 'open', version: t.expectedVersion },
      { $set: { status: 'completed', data: text(t.data), completedAt: t.at, completedBy: t.by }, $inc: { version: 1 } },
    );

  /** Finishes a step a crash interrupted after its instance document was written. */
  async function finishJournal(d: Doc) {
    const s = parse<Journaled>(d.journal);
    const t = s.completeTask;
    if (t) {
      await completeTask(t);
    }
    for (const id of s.consumeMessageIds) await messages.deleteOne({ _id: id });
    // Applied already, or not: the guard makes a replay change nothing.
    if (s.jobChange) await jobWriter.change(s.jobChange);
    await applyJournaled(d._id, d.revision, s);
  }

  async function applyStep(change: StepChange) {
    const i = change.instance;
    const journalText = text(stepOf(change));
    let previous: Doc | null = null;
    if (change.expectedRevision === null) {
      try {
        await insertNumbered(instances, { ...fromInstance(i), journal: journalText }, i);
      } catch (err) {
        if (isDuplicate(err)) throw new ConflictError(`instance ${i.id} exists`);
        throw err;
      }
    } else {
      const current = await instances.findOne({ _id: i.id });
      if (current?.journal) await finishJournal(current);
      previous = await instances.findOneAndUpdate(
        { _id: i.id, revision: change.expectedRevision },
        { $set: { ...fromInstance(i), journal: journalText } },
        { returnDocument: 'before' },
      );
      if (!previous) throw new ConflictError(`instance ${i.id} changed meanwhile`);
    }
    // Guards on other documents: on failure, undo what this step did so far, so nothing is written.
    const consumed: Doc[] = [];
    const undo = async (why: string) => {
      if (consumed.length) await messages.insertMany(consumed);
      if (previous) await instances.replaceOne({ _id: i.id, revision: i.revision }, { ...previous, journal: null });
      else await instances.deleteOne({ _id: i.id, revision: i.revision });
      throw new ConflictError(why);
    };
    for (const id of change.consumeMessageIds) {
      const m = await messages.findOneAndDelete({ _id: id });
      if (!m) await undo(`message ${id} was already consumed`);
      else consumed.push(m);
    }
    const t = change.completeTask;
    if (t) {
      const res = await completeTask(t);
      if (res.matchedCount !== 1) await undo(`task ${t.id} is no longer open`);
    }
    // The last guard: nothing after it needs undoing.
    if (change.jobChange && !(await jobWriter.change(change.jobChange))) await undo(`job ${change.jobChange.key} changed meanwhile`);
    await applyJournaled(i.id, i.revision, stepOf(change));
  }

  return { applyStep, finishJournal };
}

/** Finishes the steps a crash interrupted after their instance document was written. */
export async function finishSteps(cols: Collections, finishJournal: (d: Doc) => Promise<void>) {
  for (const d of await cols.instances.find({ journal: { $type: 'string' } }).toArray()) await finishJournal(d);
}
