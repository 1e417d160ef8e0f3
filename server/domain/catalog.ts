// New versions of one process, DMN document or form at a jurisdiction (an override when inherited), with
// optimistic concurrency: a stale baseVersion is refused with who changed it, never overwritten.
import { badRequest, conflict, invalid } from '../errors.js';
import type { Engine } from '../engine/index.js';
import { ConflictError, type JsonObject, type Store } from '../store/index.js';
import type { Access, SessionUser } from './access.js';
import { withFormJs } from '../forms/formjs.js';
import { checkDecisionDocument } from './decisions.js';
import { checkDeployable } from './deployable.js';
import type { Forms } from './forms.js';
import type { Jurisdictions } from './jurisdictions.js';
import { displayNames } from './people.js';

const EDITORS = ['official', 'admin'];

interface Versioned {
  jurisdiction: string;
  version: number;
  createdBy: string;
  createdAt: string;
}

function checkBase(seen: Versioned | null, baseVersion: unknown) {
  if (!Number.isInteger(baseVersion) && baseVersion !== 0) throw badRequest('baseVersion 必须是整数 (must be an integer)', [{ path: '/baseVersion', message: 'must be an integer' }]);
  const current = seen?.version ?? 0;
  if (baseVersion !== current) {
    throw conflict(
      `版本 ${baseVersion} 已过期：当前为 ${current}${seen ? `，由 ${seen.createdBy} 于 ${seen.createdAt} 在 ${seen.jurisdiction} 保存` : ''} (stale baseVersion)`,
    );
  }
}

/** Versions count on from what the jurisdiction saw, so an override of v1 is v2, never a second v1. */
const nextVersion = (seen: Versioned | null) => (seen?.version ?? 0) + 1;

const storeConflict = (err: unknown) => {
  if (err instanceof ConflictError) throw conflict(`已被他人更新 (changed meanwhile): ${err.message}`);
  throw err;
};

export class Catalog {
  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly jurisdictions: Jurisdictions,
    private readonly forms: Forms,
    private readonly access: Access,
  ) {}

  /** The processes a jurisdiction sees (own and inherited); any member may read them. */
  async processes(user: SessionUser, jurisdiction: string) {
    this.access.requireMember(user, jurisdiction);
    return (await this.jurisdictions.effective(jurisdiction)).processes;
  }

  async process(user: SessionUser, jurisdiction: string, key: string, version?: number) {
    this.access.requireMember(user, jurisdiction);
    return this.jurisdictions.definition(jurisdiction, key, version);
  }

  /** Every version of the process a jurisdiction sees, at the jurisdiction that defines it. */
  async versions(user: SessionUser, jurisdiction: string, key: string) {
    this.access.requireMember(user, jurisdiction);
    const d = await this.jurisdictions.definition(jurisdiction, key);
    const versions = await this.store.definitions.versions(d.jurisdiction, d.key);
    const names = await displayNames(this.store.users, versions.map((v) => v.createdBy));
    return versions.map((v) => ({ ...v, createdByName: names.get(v.createdBy) ?? null }));
  }

  /** When the process's timer start next starts a case here (null: it has none, or it is spent). */
  async schedule(user: SessionUser, jurisdiction: string, key: string) {
    this.access.requireMember(user, jurisdiction);
    await this.jurisdictions.definition(jurisdiction, key);
    const s = (await this.store.startSchedules.list()).find((x) => x.jurisdiction === jurisdiction && x.processKey === key);
    return { nextStart: s?.dueAt ?? null, every: s?.repeat?.every ?? null };
  }

  async form(user: SessionUser, jurisdiction: string, formKey: string) {
    this.access.requireMember(user, jurisdiction);
    return this.jurisdictions.form(jurisdiction, formKey);
  }

  async deployProcess(user: SessionUser, jurisdiction: string, key: string, xml: unknown, baseVersion: unknown) {
    const actor = this.access.require(user, jurisdiction, EDITORS).username;
    if (typeof xml !== 'string' || !xml.trim()) throw badRequest('xml 必须是 BPMN 文本 (xml must be a string)', [{ path: '/xml', message: 'required' }]);
    const seen = await this.jurisdictions.definition(jurisdiction, key).catch(() => null);
    checkBase(seen, baseVersion);
    const available = new Set((await this.jurisdictions.effective(jurisdiction)).forms.map((f) => f.formKey));
    const { problems, warnings, name, others } = await checkDeployable(this.engine, xml, key, available, { xml: '/xml', key: '/xml' });
    if (problems.length) throw invalid(`流程有 ${problems.length} 处问题 (diagram cannot be deployed)`, problems);
    const at = new Date().toISOString();
    const write = async (k: string, processName: string, base: Versioned | null, deployedWith?: string) => {
      const version = nextVersion(base);
      const item = { jurisdiction, key: k, version, name: processName, xml, createdAt: at, createdBy: actor };
      const detail = { basedOn: base ? `${base.jurisdiction}@${base.version}` : null, ...(deployedWith && { deployedWith }) };
      const audit = { at, actor, action: 'process.deploy', jurisdiction, targetType: 'process', targetId: k, beforeVersion: base?.version ?? null, afterVersion: version, detail };
      return { item, expectedLatest: (await this.store.definitions.latest(jurisdiction, k))?.version ?? 0, audit };
    };
    // The file's other processes become new versions of their own keys, in the same write (Zeebe deploys every process of a file).
    const items = [await write(key, name!, seen)];
    for (const other of others) items.push(await write(other.key, other.name, await this.jurisdictions.definition(jurisdiction, other.key).catch(() => null), key));
    await this.store.definitions.createAll(items).catch(storeConflict);
    return {
      key, name: name!, version: items[0]!.item.version, definedAt: jurisdiction,
      ...(warnings.length && { warnings }),
      ...(others.length && { others: items.slice(1).map(({ item }) => ({ key: item.key, name: item.name, version: item.version })) }),
    };
  }

  /** The DMN documents a jurisdiction sees (own and inherited); any member may read them. */
  async decisions(user: SessionUser, jurisdiction: string) {
    this.access.requireMember(user, jurisdiction);
    return (await this.jurisdictions.effective(jurisdiction)).decisions;
  }

  async decision(user: SessionUser, jurisdiction: string, key: string, version?: number) {
    this.access.requireMember(user, jurisdiction);
    const d = await this.jurisdictions.decision(jurisdiction, key, version);
    return { ...d, decisions: (await checkDecisionDocument(d.xml, d.key, '/xml')).decisions };
  }

  /** Deploys a DMN document as a new version at the jurisdiction (Zeebe's deployResource for .dmn). */
  async deployDecision(user: SessionUser, jurisdiction: string, key: string, xml: unknown, baseVersion: unknown) {
    const actor = this.access.require(user, jurisdiction, EDITORS).username;
    const seen = await this.jurisdictions.decision(jurisdiction, key).catch(() => null);
    checkBase(seen, baseVersion);
    const { problems, name, decisions } = await checkDecisionDocument(xml, key, '/xml');
    if (problems.length) throw invalid(`决策表有 ${problems.length} 处问题 (DMN cannot be deployed)`, problems);
    const own = await this.store.decisions.latest(jurisdiction, key);
    const version = nextVersion(seen);
    const at = new Date().toISOString();
    await this.store.decisions
      .create(
        { jurisdiction, key, version, name: name!, xml: xml as string, createdAt: at, createdBy: actor },
        own?.version ?? 0,
        { at, actor, action: 'decision.deploy', jurisdiction, targetType: 'decision', targetId: key, beforeVersion: seen?.version ?? null, afterVersion: version, detail: { basedOn: seen ? `${seen.jurisdiction}@${seen.version}` : null } },
      )
      .catch(storeConflict);
    return { key, name: name!, version, definedAt: jurisdiction, decisions };
  }

  async saveForm(user: SessionUser, jurisdiction: string, formKey: string, body: JsonObject) {
    const actor = this.access.require(user, jurisdiction, EDITORS).username;
    const { baseVersion, ...given } = body;
    const seen = await this.jurisdictions.form(jurisdiction, formKey).catch(() => null);
    checkBase(seen, baseVersion);
    let doc = given;
    let warnings: string[] = [];
    try {
      ({ doc, warnings } = withFormJs(given));
    } catch (err) {
      throw invalid('Camunda 表单无法读取 (form-js document refused)', [{ path: '/formJs', message: (err as Error).message }]);
    }
    const problems = this.forms.check(doc, '');
    if (problems.length) throw invalid(`表单有 ${problems.length} 处问题 (form refused)`, problems);
    const own = await this.store.forms.latest(jurisdiction, formKey);
    const version = nextVersion(seen);
    const at = new Date().toISOString();
    await this.store.forms
      .create(
        { jurisdiction, formKey, version, doc: doc as FormDoc, createdAt: at, createdBy: actor },
        own?.version ?? 0,
        { at, actor, action: 'form.save', jurisdiction, targetType: 'form', targetId: formKey, beforeVersion: seen?.version ?? null, afterVersion: version },
      )
      .catch(storeConflict);
    return { formKey, version, definedAt: jurisdiction, ...doc, ...(warnings.length && { warnings }) };
  }
}

type FormDoc = JsonObject & { schema: JsonObject };
