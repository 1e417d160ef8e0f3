// Jurisdictions, and rule-set imports: journaled (the whole write in one document first), then
// applied with upserts keyed by (jurisdiction, key, version), then cleared.
import crypto from 'node:crypto';
import type { RuleSetWrite, Store } from '../index.js';
import { upsertJournaledAudit } from './audit.js';
import { fromDefinition, fromForm, fromJurisdiction, parse, str, text, toJurisdiction } from './rows.js';
import type { Collections } from './schema.js';

export function jurisdictionsRepository({ jurisdictions }: Collections): Store['jurisdictions'] {
  return {
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
  const { jurisdictions, definitions, forms, journal } = cols;
  await jurisdictions.replaceOne({ _id: w.jurisdiction.id }, fromJurisdiction(w.jurisdiction), { upsert: true });
  for (const d of w.definitions) await definitions.replaceOne({ _id: fromDefinition(d)._id }, fromDefinition(d), { upsert: true });
  for (const f of w.forms) await forms.replaceOne({ _id: fromForm(f)._id }, fromForm(f), { upsert: true });
  await upsertJournaledAudit(cols, id, w.audit);
  await journal.deleteOne({ _id: id });
}

/** Finishes the rule-set imports a crash interrupted. */
export async function finishRuleSetImports(cols: Collections) {
  for (const j of await cols.journal.find({}).toArray()) await applyRuleSet(cols, j._id, parse<RuleSetWrite>(j.write));
}

export function ruleSetImporter(cols: Collections): Store['importRuleSet'] {
  return async (w) => {
    const id = crypto.randomUUID();
    await cols.journal.insertOne({ _id: id, write: text(w) });
    await applyRuleSet(cols, id, w);
  };
}
