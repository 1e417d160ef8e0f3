// Jurisdictions, and rule-set imports: a jurisdiction with new versions of its items, in one transaction.
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { ConflictError, type Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { json, toJurisdiction, type Row } from './rows.js';
import { definitionInserter, formInserter } from './versioned.js';

export function jurisdictionsRepository(db: Database.Database): Store['jurisdictions'] {
  return {
    async list() {
      return (db.prepare('SELECT * FROM jurisdictions ORDER BY id').all() as Row[]).map(toJurisdiction);
    },
    async get(id) {
      const r = db.prepare('SELECT * FROM jurisdictions WHERE id = ?').get(id) as Row | undefined;
      return r ? toJurisdiction(r) : null;
    },
    async generation() {
      return ((db.prepare(`SELECT token FROM generations WHERE name = 'ruleSets'`).get() as Row | undefined)?.token as string | undefined) ?? '';
    },
  };
}

export function ruleSetImporter(db: Database.Database, appendAudit: AppendAudit): Store['importRuleSet'] {
  const insertDefinition = definitionInserter(db);
  const insertForm = formInserter(db);
  const insertDecision = definitionInserter(db, 'decisions');
  return async (w) => {
    db.transaction(() => {
      const j = w.jurisdiction;
      if (w.expectedVersion !== undefined) {
        const current = ((db.prepare('SELECT version FROM jurisdictions WHERE id = ?').get(j.id) as Row | undefined)?.version ?? 0) as number;
        if (current !== w.expectedVersion) throw new ConflictError(`jurisdiction version ${w.expectedVersion} is stale: the latest is ${current}`);
      }
      db.prepare(
        `INSERT INTO jurisdictions (id, name, parent, parameters, vocabulary, extra, version) VALUES (?,?,?,?,?,?,?)
         ON CONFLICT(id) DO UPDATE SET name=excluded.name, parent=excluded.parent, parameters=excluded.parameters,
         vocabulary=excluded.vocabulary, extra=excluded.extra, version=excluded.version`,
      ).run(j.id, j.name, j.parent, json(j.parameters), json(j.vocabulary), json(j.extra ?? null), j.version ?? 0);
      for (const d of w.definitions) insertDefinition(d);
      for (const f of w.forms) insertForm(f);
      for (const d of w.decisions ?? []) insertDecision(d);
      for (const a of w.audit) appendAudit(a);
      db.prepare(`INSERT OR REPLACE INTO generations (name, token) VALUES ('ruleSets', ?)`).run(crypto.randomUUID());
    })();
  };
}
