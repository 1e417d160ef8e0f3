// Timer start schedules: a conditional update moves a due time on, so one writer wins each firing.
import type { StartSchedule, Store } from '../index.js';
import { isDuplicate, type Doc } from './rows.js';
import type { Collections } from './schema.js';

const toSchedule = (d: Doc): StartSchedule => ({
  jurisdiction: d.jurisdiction, processKey: d.processKey, definition: d.definition, dueAt: d.dueAt ?? null, repeat: d.repeat ?? null,
});
const idOf = (s: StartSchedule) => `${s.jurisdiction}/${s.processKey}`;

export function startSchedulesRepository({ startSchedules }: Collections): Store['startSchedules'] {
  return {
    async list() {
      return (await startSchedules.find({}).sort({ _id: 1 }).toArray()).map(toSchedule);
    },
    async swap(expected, next) {
      const doc = { jurisdiction: next.jurisdiction, processKey: next.processKey, definition: next.definition, dueAt: next.dueAt, repeat: next.repeat };
      if (!expected) {
        try {
          await startSchedules.insertOne({ _id: idOf(next), ...doc });
          return true;
        } catch (err) {
          if (isDuplicate(err)) return false;
          throw err;
        }
      }
      const res = await startSchedules.updateOne({ _id: idOf(expected), definition: expected.definition, dueAt: expected.dueAt }, { $set: doc });
      return res.modifiedCount === 1;
    },
  };
}
