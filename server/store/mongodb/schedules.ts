// Timer start schedules. A conditional update is not atomic on every server this store runs on
// (FerretDB lets two racing ones both match), a unique _id is: moving a due time on first inserts a
// claim named after the firing it consumes, holding the next schedule; only the insert that wins
// writes it. A claim whose write a crash cut short is finished by whoever finds it next.
import type { StartSchedule, Store } from '../index.js';
import { inserted, type Doc } from './rows.js';
import type { Collections } from './schema.js';

const toSchedule = (d: Doc): StartSchedule => ({
  jurisdiction: d.jurisdiction, processKey: d.processKey, definition: d.definition, dueAt: d.dueAt ?? null, repeat: d.repeat ?? null,
});
const idOf = (s: StartSchedule) => `${s.jurisdiction}/${s.processKey}`;
const fields = (s: StartSchedule) => ({ jurisdiction: s.jurisdiction, processKey: s.processKey, definition: s.definition, dueAt: s.dueAt, repeat: s.repeat });

export function startSchedulesRepository({ startSchedules, startClaims }: Collections): Store['startSchedules'] {
  /** Writes a claim's next schedule where the schedule is still the one it consumed (idempotent). */
  const finish = async (claim: Doc) => {
    const expected = claim.expected as StartSchedule;
    await startSchedules.updateOne({ _id: idOf(expected), definition: expected.definition, dueAt: expected.dueAt }, { $set: claim.next });
  };
  return {
    async list() {
      return (await startSchedules.find({}).sort({ _id: 1 }).toArray()).map(toSchedule);
    },
    async swap(expected, next) {
      if (!expected) return inserted(startSchedules.insertOne({ _id: idOf(next), ...fields(next) }));
      const claimId = `${idOf(expected)}|${expected.definition}|${expected.dueAt}`;
      const claim = { _id: claimId, expected: fields(expected), next: fields(next) };
      if (!(await inserted(startClaims.insertOne(claim)))) {
        const existing = await startClaims.findOne({ _id: claimId });
        if (existing) await finish(existing);
        return false;
      }
      const current = await startSchedules.findOne({ _id: idOf(expected), definition: expected.definition, dueAt: expected.dueAt });
      if (!current) return false;
      await finish(claim);
      return true;
    },
  };
}
