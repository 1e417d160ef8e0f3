// Engine steps: the step rides on the instance document (journal field) until its idempotent
// writes to the other collections are done. Its guards (instance revision, task version, a buffered
// message not yet consumed) are checked and the instance document written while holding the
// instance's lease: conditional writes are not atomic on every server this store runs on, and
// several application servers may write one instance at the same moment. Whatever else writes a
// task (claims, case notes) holds the same lease, and so does finishing a step a crash interrupted.
import type { Collection } from 'mongodb';
import { ObjectId } from 'mongodb';
import { ConflictError, type CaseNote, type StepChange } from '../index.js';
import { upsertJournaledAudit } from './audit.js';
import { fromInstance, fromTask, pad, parse, putById, str, text, withoutId, type Doc } from './rows.js';
import { notificationWriter } from './notifications.js';
import type { Collections } from './schema.js';
import { insertNumbered } from './cases.js';
import type { Exclusive } from './leases.js';
import { jobStepWriter } from './jobs.js';

type Journaled = Omit<StepChange, 'instance' | 'expectedRevision' | 'completeTask'> & { completeTask?: StepChange['completeTask'] };
/** A case note rides on the instance document the same way, with the ids its entries get. */
type JournaledNote = { note: CaseNote & { prefix: string } };
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

/** The lease key under which an instance and its tasks are written. */
export const instanceKey = (instanceId: string) => `instance:${instanceId}`;

export function journaledSteps(cols: Collections, exclusive: Exclusive) {
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
    await insertNew(timers, s.timers.map((t) => ({ _id: `${instanceId}:${t.ref}`, ...t })));
    await subscriptions.deleteMany({ instanceId });
    await insertNew(subscriptions, s.subscriptions.map((x) => ({ _id: `${instanceId}:${x.ref}`, ...x })));
    for (const r of s.results) await putById(results, { _id: r.id, ...withoutId(r), content: text(r.content) });
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

  /** The idempotent writes of a case note whose instance document already holds it. */
  async function applyNote(instanceId: string, { prefix, history: entries, audit, assign: a }: JournaledNote['note']) {
    // The history first: whoever sees the task's new version sees why it changed.
    await insertNew(history, entries.map((h, n) => ({
      _id: `${prefix}:${pad(n, 4)}`, ...h, data: text(h.data),
      // Readers of a copy (抄送) as a plain array, so that "copied to me" is a query.
      ...(Array.isArray(h.data?.readers) ? { readers: h.data.readers } : {}),
    })));
    if (a) {
      // Guarded by the version checked when it was journaled: a replay changes nothing twice.
      await tasks.updateOne(
        { _id: a.taskId, instanceId, status: 'open', version: a.expectedVersion },
        { $set: { assignee: a.assignee, ...(a.data ? { data: text(a.data) } : {}), ...(a.signers ? { signers: a.signers } : {}) }, $inc: { version: 1 } },
      );
    }
    await upsertJournaledAudit(cols, prefix, [audit]);
    await instances.updateOne({ _id: instanceId }, { $set: { journal: null } });
  }

  /**
   * Records a case note: its task guard is checked and the note written onto the instance document
   * in one write under the instance's lease, then applied; a crash in between is finished like a
   * step's, so a reader never sees the task handed over without the history saying why.
   */
  async function note(n: CaseNote) {
    const id = str(n.instanceId);
    await exclusive(instanceKey(id), async () => {
      let inst = await instances.findOne({ _id: id });
      if (inst?.journal) {
        await finishJournal(inst);
        inst = { ...inst, journal: null };
      }
      const a = n.assign;
      if (a && !(await tasks.countDocuments({ _id: str(a.taskId), instanceId: id, status: 'open', version: a.expectedVersion }, { limit: 1 }))) {
        throw new ConflictError(`task ${a.taskId} changed meanwhile or is no longer open`);
      }
      // Sorted after the entries of the step that made the current revision, before the next step's,
      // and among notes by an ObjectId (time, then a counter: increasing within the process).
      const journaled: JournaledNote = { note: { ...n, prefix: `${id}:${pad(inst?.revision ?? 0, 9)}:~${new ObjectId().toHexString()}` } };
      if (!(await instances.updateOne({ _id: id }, { $set: { journal: text(journaled) } })).matchedCount) throw new ConflictError(`instance ${id} not found`);
      await applyNote(id, journaled.note);
    });
  }

  /** Finishes a step (or a case note) a crash interrupted after its instance document was written. */
  async function finishJournal(d: Doc) {
    const journaled = parse<Journaled | JournaledNote>(d.journal);
    if ('note' in journaled) return applyNote(d._id, journaled.note);
    const s = journaled;
    const t = s.completeTask;
    if (t) {
      await completeTask(t);
    }
    for (const id of s.consumeMessageIds) await messages.deleteOne({ _id: id });
    // Applied already, or not: the guard makes a replay change nothing.
    if (s.jobChange) await jobWriter.change(s.jobChange);
    await applyJournaled(d._id, d.revision, s);
  }

  /** Throws ConflictError when a guard of the step fails; writes nothing. */
  async function checkGuards(change: StepChange, current: Doc | null) {
    const i = change.instance;
    if (change.expectedRevision === null ? current : current?.revision !== change.expectedRevision) {
      throw new ConflictError(`instance ${i.id} changed meanwhile`);
    }
    const t = change.completeTask;
    if (t && !(await tasks.countDocuments({ _id: t.id, status: 'open', version: t.expectedVersion }, { limit: 1 }))) {
      throw new ConflictError(`task ${t.id} is no longer open`);
    }
  }

  /** Takes a buffered message the step consumes: each goes to one instance only (they hold no lease in common). */
  const consume = (id: string) => exclusive(`message:${id}`, () => messages.findOneAndDelete({ _id: id }));

  async function applyStep(change: StepChange) {
    const i = change.instance;
    const journalText = text(stepOf(change));
    await exclusive(instanceKey(i.id), async () => {
      let previous = await instances.findOne({ _id: i.id });
      if (previous?.journal) {
        await finishJournal(previous);
        previous = { ...previous, journal: null };
      }
      await checkGuards(change, previous);
      if (previous) await instances.updateOne({ _id: i.id, revision: change.expectedRevision }, { $set: { ...fromInstance(i), journal: journalText } });
      else await insertNumbered(instances, { ...fromInstance(i), journal: journalText }, i);
      // Guards on documents other writers reach without this instance's lease (a buffered message,
      // a worker's job): on failure, what this step wrote so far is undone, so nothing of it is kept.
      const consumed: Doc[] = [];
      const undo = async (why: string) => {
        if (consumed.length) await messages.insertMany(consumed);
        if (previous) await instances.replaceOne({ _id: i.id }, previous);
        else await instances.deleteOne({ _id: i.id });
        throw new ConflictError(why);
      };
      for (const id of change.consumeMessageIds) {
        const m = await consume(id);
        if (!m) await undo(`message ${id} was already consumed`);
        else consumed.push(m);
      }
      if (change.jobChange && !(await jobWriter.change(change.jobChange))) await undo(`job ${change.jobChange.key} changed meanwhile`);
      if (change.completeTask) await completeTask(change.completeTask);
      await applyJournaled(i.id, i.revision, stepOf(change));
    });
  }

  return { applyStep, finishJournal, note };
}

/**
 * Finishes the steps a crash interrupted after their instance document was written; says how many.
 * It does not wait for a held lease: a step being written now is finished by its writer, and one
 * whose writer died is finished by a later call, once its lease lapsed (the scheduler calls this).
 */
export async function finishSteps(cols: Collections, finishJournal: (d: Doc) => Promise<void>, exclusive: Exclusive): Promise<number> {
  let finished = 0;
  for (const { _id } of await cols.instances.find({ journal: { $type: 'string' } }).project({ _id: 1 }).toArray()) {
    await exclusive(instanceKey(_id), async () => {
      const d = await cols.instances.findOne({ _id, journal: { $type: 'string' } });
      if (d) {
        await finishJournal(d);
        finished++;
      }
    }, 0).catch((err) => {
      if (!(err instanceof ConflictError)) throw err;
    });
  }
  return finished;
}
