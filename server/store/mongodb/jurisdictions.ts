// Jurisdictions, and rule-set imports: journaled (the whole write in one document first), the
// jurisdiction's version claimed when the write is guarded, then applied with upserts keyed by
// (jurisdiction, key, version), then cleared.
import crypto from 'node:crypto';
import { ConflictError, type RuleSetWrite, type Store } from '../index.js';
import { upsertJournaledAudit } from './audit.js';
import { fromDefinition, fromForm, fromJurisdiction, parse, putById, str, text, toJurisdiction } from './rows.js';
import type { Collections } from './schema.js';
import type { Exclusive } from './leases.js';

const GENERATION = 'ruleSets';

export function jurisdictionsRepository({ jurisdictions, meta }: Collections): Store['jurisdictions'] {
  return {
    async generation() {
      return (await meta.findOne({ _id: GENERATION }))?.token ?? '';
    },
    async list() {
      return (await jurisdictions.find({}).sort({ _id: 1 }).toArray()).map(toJurisdiction);
    },
    async get(id) {
      const d = await jurisdictions.findOne({ _id: str(id) });
      return d ? toJurisdiction(d) : null;
    },
  };
}

async function applyRuleSet(cols: Collections, id: string, w: RuleSetWrite) {
  const { jurisdictions, definitions, decisions, forms, journal } = cols;
  await putById(jurisdictions, fromJurisdiction(w.jurisdiction));
  for (const d of w.definitions) await putById(definitions, fromDefinition(d));
  for (const f of w.forms) await putById(forms, fromForm(f));
  for (const d of w.decisions ?? []) await putById(decisions, fromDefinition(d));
  await upsertJournaledAudit(cols, id, w.audit);
  await putById(cols.meta, { _id: GENERATION, token: crypto.randomUUID() }); // a new token, never a count: no two writes leave it where a reader saw it
  await journal.deleteOne({ _id: id });
}

const storedVersion = async (cols: Collections, id: string) => {
  const d = await cols.jurisdictions.findOne({ _id: id });
  return d ? toJurisdiction(d).version ?? 1 : 0;
};

/** Moves the jurisdiction from the expected version to the write's, or says it was not there. */
async function claim(cols: Collections, w: RuleSetWrite & { expectedVersion: number }): Promise<boolean> {
  const doc = fromJurisdiction(w.jurisdiction);
  if (w.expectedVersion === 0) {
    try {
      await cols.jurisdictions.insertOne(doc);
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }
  // Documents written before versions existed have none: they are version 1.
  const expected = w.expectedVersion === 1 ? { $in: [1, null] } : w.expectedVersion;
  return (await cols.jurisdictions.replaceOne({ _id: doc._id, version: expected }, doc)).matchedCount === 1;
}

/** Finishes the rule-set imports a crash interrupted; a guarded one only if its claim held or still can. */
export async function finishRuleSetImports(cols: Collections) {
  for (const j of await cols.journal.find({}).toArray()) {
    const w = parse<RuleSetWrite>(j.write);
    if (w.expectedVersion !== undefined) {
      const now = await storedVersion(cols, w.jurisdiction.id);
      if (now !== w.expectedVersion && now !== w.jurisdiction.version) {
        await cols.journal.deleteOne({ _id: j._id });
        continue;
      }
    }
    await applyRuleSet(cols, j._id, w);
  }
}

export function ruleSetImporter(cols: Collections, exclusive: Exclusive): Store['importRuleSet'] {
  return async (w) => {
    const id = crypto.randomUUID();
    await cols.journal.insertOne({ _id: id, write: text(w) });
    // Racing saves through several servers: the version checked is the version replaced.
    const guarded = (expectedVersion: number) => exclusive(`jurisdiction:${w.jurisdiction.id}`, () => claim(cols, { ...w, expectedVersion }));
    if (w.expectedVersion !== undefined && !(await guarded(w.expectedVersion))) {
      await cols.journal.deleteOne({ _id: id });
      throw new ConflictError(`jurisdiction version ${w.expectedVersion} is stale: the latest is ${await storedVersion(cols, w.jurisdiction.id)}`);
    }
    await applyRuleSet(cols, id, w);
  };
}
