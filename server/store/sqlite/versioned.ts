// Versioned repositories (definitions, decisions, forms): per jurisdiction and key, the latest version wins.
import type Database from 'better-sqlite3';
import { ConflictError, type AuditEntry, type DecisionRecord, type DefinitionRecord, type FormRecord, type Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { json, toDefinition, toForm, type Row } from './rows.js';

export const definitionInserter = (db: Database.Database, table: 'definitions' | 'decisions' = 'definitions') => (d: DefinitionRecord) =>
  db
    .prepare(`INSERT INTO ${table} (jurisdiction, key, version, name, xml, created_at, created_by) VALUES (?,?,?,?,?,?,?)`)
    .run(d.jurisdiction, d.key, d.version, d.name, d.xml, d.createdAt, d.createdBy);

export const formInserter = (db: Database.Database) => (f: FormRecord) =>
  db
    .prepare('INSERT INTO forms (jurisdiction, form_key, version, doc, created_at, created_by) VALUES (?,?,?,?,?,?)')
    .run(f.jurisdiction, f.formKey, f.version, json(f.doc), f.createdAt, f.createdBy);

function versioned<T extends { jurisdiction: string; version: number }>(
  db: Database.Database,
  appendAudit: AppendAudit,
  table: 'definitions' | 'decisions' | 'forms',
  keyColumn: 'key' | 'form_key',
  keyOf: (item: T) => string,
  map: (r: Row) => T,
  insert: (item: T) => unknown,
) {
  const latestVersion = (jurisdiction: string, key: string) =>
    ((db.prepare(`SELECT MAX(version) AS v FROM ${table} WHERE jurisdiction = ? AND ${keyColumn} = ?`).get(jurisdiction, key) as Row).v ?? 0) as number;
  return {
    async latest(jurisdiction: string, key: string) {
      const r = db.prepare(`SELECT * FROM ${table} WHERE jurisdiction=? AND ${keyColumn}=? ORDER BY version DESC LIMIT 1`).get(jurisdiction, key) as Row | undefined;
      return r ? map(r) : null;
    },
    async get(jurisdiction: string, key: string, version: number) {
      const r = db.prepare(`SELECT * FROM ${table} WHERE jurisdiction=? AND ${keyColumn}=? AND version=?`).get(jurisdiction, key, version) as Row | undefined;
      return r ? map(r) : null;
    },
    async listLatest(jurisdiction: string) {
      return (
        db
          .prepare(
            `SELECT t.* FROM ${table} t JOIN (SELECT ${keyColumn} AS k, MAX(version) AS v FROM ${table} WHERE jurisdiction=? GROUP BY ${keyColumn}) m
             ON t.${keyColumn} = m.k AND t.version = m.v WHERE t.jurisdiction=? ORDER BY t.${keyColumn}`,
          )
          .all(jurisdiction, jurisdiction) as Row[]
      ).map(map);
    },
    /** Inserts when the own latest is still the expected one, atomically with its audit entry. */
    async create(item: T, expectedLatest: number, audit: AuditEntry) {
      return this.createAll([{ item, expectedLatest, audit }]);
    },
    /** Several items at once (the processes of one BPMN file): all, each guarded as create is, or none. */
    async createAll(items: { item: T; expectedLatest: number; audit: AuditEntry }[]) {
      db.transaction(() => {
        for (const { item, expectedLatest, audit } of items) {
          const latest = latestVersion(item.jurisdiction, keyOf(item));
          if (latest !== expectedLatest) throw new ConflictError(`version ${expectedLatest} of ${keyOf(item)} is stale: the latest is ${latest}`);
          insert(item);
          appendAudit(audit);
        }
      })();
    },
  };
}

export function definitionsRepository(db: Database.Database, appendAudit: AppendAudit): Store['definitions'] {
  return {
    ...versioned(db, appendAudit, 'definitions', 'key', (d: DefinitionRecord) => d.key, toDefinition, definitionInserter(db)),
    async versions(jurisdiction, key) {
      return (
        db
          .prepare('SELECT jurisdiction, key, version, name, created_at, created_by FROM definitions WHERE jurisdiction=? AND key=? ORDER BY version')
          .all(jurisdiction, key) as Row[]
      ).map((r) => {
        const { xml: _xml, ...rest } = toDefinition({ ...r, xml: '' });
        return rest;
      });
    },
  };
}

export function decisionsRepository(db: Database.Database, appendAudit: AppendAudit): Store['decisions'] {
  return versioned(db, appendAudit, 'decisions', 'key', (d: DecisionRecord) => d.key, toDefinition, definitionInserter(db, 'decisions'));
}

export function formsRepository(db: Database.Database, appendAudit: AppendAudit): Store['forms'] {
  return versioned(db, appendAudit, 'forms', 'form_key', (f: FormRecord) => f.formKey, toForm, formInserter(db));
}
