// Versioned repositories (definitions, forms): per jurisdiction and key, the latest version wins.
import type { Collection } from 'mongodb';
import { ConflictError, type AuditEntry, type Store } from '../index.js';
import type { AppendAudit } from './audit.js';
import { fromDefinition, fromForm, isDuplicate, str, toDefinition, toForm, type Doc } from './rows.js';
import type { Collections } from './schema.js';

/** Versioned items (definitions, forms): per jurisdiction and key, the latest one wins. */
function versioned<T extends { jurisdiction: string; version: number }>(appendAudit: AppendAudit, coll: Collection<Doc>, keyField: 'key' | 'formKey', map: (d: Doc) => T, store: (item: T) => Doc) {
  return {
    async latest(jurisdiction: string, key: string) {
      const d = await coll.find({ jurisdiction: str(jurisdiction), [keyField]: str(key) }).sort({ version: -1 }).limit(1).next();
      return d ? map(d) : null;
    },
    async get(jurisdiction: string, key: string, version: number) {
      const d = await coll.findOne({ jurisdiction: str(jurisdiction), [keyField]: str(key), version: Number(version) });
      return d ? map(d) : null;
    },
    async listLatest(jurisdiction: string) {
      const all = await coll.find({ jurisdiction: str(jurisdiction) }).sort({ [keyField]: 1, version: -1 }).toArray();
      return all.filter((d, n) => n === 0 || all[n - 1][keyField] !== d[keyField]).map(map);
    },
    /** The unique (jurisdiction, key, version) index makes a racing second save fail. */
    async create(item: T, expectedLatest: number, entry: AuditEntry) {
      return this.createAll([{ item, expectedLatest, audit: entry }]);
    },
    /**
     * Several items (the processes of one BPMN file): every guard is checked before the first insert,
     * then one ordered insertMany; a racing save of any fails it on the unique index, and the items
     * this call wrote before that one are taken back.
     */
    async createAll(items: { item: T; expectedLatest: number; audit: AuditEntry }[]) {
      const docs = items.map(({ item }) => store(item));
      for (const [i, { item, expectedLatest }] of items.entries()) {
        const key = docs[i]![keyField];
        const latest = (await coll.find({ jurisdiction: item.jurisdiction, [keyField]: key }).sort({ version: -1 }).limit(1).next())?.version ?? 0;
        if (latest !== expectedLatest) throw new ConflictError(`version ${expectedLatest} of ${key} is stale: the latest is ${latest}`);
      }
      try {
        await coll.insertMany(docs, { ordered: true });
      } catch (err) {
        if (!isDuplicate(err)) throw err;
        const errors = (err as { writeErrors?: { index: number } | { index: number }[] }).writeErrors;
        const failed = (Array.isArray(errors) ? errors[0]?.index : errors?.index) ?? 0;
        const written = docs.slice(0, failed).map((d) => d._id);
        if (written.length) await coll.deleteMany({ _id: { $in: written } });
        throw new ConflictError('a version was saved meanwhile');
      }
      for (const { audit } of items) await appendAudit(audit);
    },
  };
}

export function definitionsRepository({ definitions }: Collections, appendAudit: AppendAudit): Store['definitions'] {
  return {
    ...versioned(appendAudit, definitions, 'key', toDefinition, fromDefinition),
    async versions(jurisdiction, key) {
      const docs = await definitions.find({ jurisdiction: str(jurisdiction), key: str(key) }, { projection: { xml: 0 } }).sort({ version: 1 }).toArray();
      return docs.map((d) => {
        const { xml: _xml, ...rest } = toDefinition({ ...d, xml: '' });
        return rest;
      });
    },
  };
}

export function decisionsRepository({ decisions }: Collections, appendAudit: AppendAudit): Store['decisions'] {
  return versioned(appendAudit, decisions, 'key', toDefinition, fromDefinition);
}

export function formsRepository({ forms }: Collections, appendAudit: AppendAudit): Store['forms'] {
  return versioned(appendAudit, forms, 'formKey', toForm, fromForm);
}
