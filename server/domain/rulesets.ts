// Rule-set bundles: validated as a whole (every problem at once), stored atomically, exported so
// that they round-trip; the shipped ones are read from processes/ and schemas/ on disk.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import type { Engine } from '../engine/index.js';
import { parentsFirst } from '../store/tree.js';
import { ConflictError, type AuditEntry, type DecisionRecord, type DefinitionRecord, type FormRecord, type JsonObject, type JurisdictionRecord, type Store } from '../store/index.js';
import { badRequest, conflict, forbidden, invalid, type FieldProblem } from '../errors.js';
import type { Access, SessionUser } from './access.js';
import { withFormJs } from '../forms/formjs.js';
import { checkDecisionDocument } from './decisions.js';
import { checkDeployable } from './deployable.js';
import { checkCaseRules } from './caseRules.js';
import type { Forms } from './forms.js';
import type { Jurisdictions } from './jurisdictions.js';
import { checkDeclarations, checkParameters, type ParameterDeclaration } from './parameters.js';
import { diffJurisdiction } from './ruleset-diff.js';

const require = createRequire(import.meta.url);
const bundleSchema = require('../../schemas/ruleset.schema.json');
const checkShape = new Ajv({ allErrors: true, strict: false }).compile(bundleSchema);

export interface Bundle {
  jurisdiction: { id: string; name: string; parent?: string | null };
  parameters?: JsonObject;
  vocabulary?: Record<string, string>;
  groups?: Record<string, string>;
  parameterTypes?: Record<string, ParameterDeclaration>;
  forms?: Record<string, JsonObject & { schema: JsonObject }>;
  processes?: { key: string; xml: string }[];
  decisions?: { key: string; xml: string }[];
  [extra: string]: unknown;
}

const KNOWN = new Set(['jurisdiction', 'parameters', 'vocabulary', 'forms', 'processes', 'decisions']);
const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
/** Members of a jurisdiction's head that are maps, diffed key by key in the audit. */
const MAP_MEMBERS = ['parameters', 'vocabulary', 'groups', 'parameterTypes'] as const;
/** What PUT /api/jurisdictions/:id may set; everything else of the stored head (e.g. `source`) is kept. */
const EDITABLE = ['parameters', 'vocabulary', 'groups'] as const;

/** A jurisdiction as one flat object (name, parent, parameters, vocabulary, extra members), for diffs. */
const head = (j: JurisdictionRecord): JsonObject => ({ ...(j.extra ?? {}), name: j.name, parent: j.parent, parameters: j.parameters, vocabulary: j.vocabulary });

interface ImportOptions {
  /** The version the writer saw (PUT); absent: the version stored now (bundle import). */
  baseVersion?: number;
  action?: string;
}

export class RuleSets {
  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly jurisdictions: Jurisdictions,
    private readonly forms: Forms,
    private readonly access: Access,
  ) {}

  /** A jurisdiction's effective rule set (own over inherited); any member may read it. */
  async effective(user: SessionUser, id: string) {
    this.access.requireMember(user, id);
    return this.jurisdictions.effective(id);
  }

  /**
   * Imports a bundle a user sent. Changing a jurisdiction needs admin there; creating one needs
   * admin of its parent, or of every top-level jurisdiction for a new top level.
   */
  async importBy(user: SessionUser, bundle: JsonObject) {
    const j = bundle.jurisdiction as { id?: unknown; parent?: unknown } | undefined;
    const id = typeof j?.id === 'string' ? j.id : null;
    const parent = typeof j?.parent === 'string' ? j.parent : null;
    const target = id && this.jurisdictions.exists(id) ? id : parent && this.jurisdictions.exists(parent) ? parent : null;
    const allowed = target ? this.access.has(user, target, ['admin']) : this.topLevelAdmin(user);
    if (!allowed) throw forbidden(`需要 ${target ?? '所有顶级辖区'} 的管理员角色 (admin only)`);
    return this.import(bundle, user.username);
  }

  /** Every problem of a bundle (none: it can be stored as it is), and the name of each process and DMN document. */
  private async check(bundle: unknown): Promise<{ problems: FieldProblem[]; warnings: FieldProblem[]; names: Map<string, string>; decisionNames: Map<string, string> }> {
    const names = new Map<string, string>();
    const decisionNames = new Map<string, string>();
    const warnings: FieldProblem[] = [];
    if (!checkShape(bundle)) {
      return { problems: (checkShape.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? e.keyword })), warnings, names, decisionNames };
    }
    const b = bundle as Bundle;
    const problems: FieldProblem[] = [];
    const id = b.jurisdiction.id;
    const parent = b.jurisdiction.parent ?? null;
    if (parent !== null) {
      if (!this.jurisdictions.exists(parent)) problems.push({ path: '/jurisdiction/parent', message: `未知上级辖区 ${parent} (unknown parent)` });
      else if (this.jurisdictions.ancestry(parent).includes(id)) {
        problems.push({ path: '/jurisdiction/parent', message: `${parent} 是 ${id} 的下级，不能作为上级 (cycle)` });
      }
    }
    const inherited = parent && this.jurisdictions.exists(parent) ? await this.jurisdictions.effective(parent) : null;
    const declarations = { ...(inherited?.parameterTypes ?? {}), ...(b.parameterTypes ?? {}) };
    problems.push(...checkDeclarations(b.parameterTypes ?? {}), ...checkParameters(b.parameters ?? {}, declarations));
    for (const [name, value] of Object.entries(b.parameters ?? {})) {
      if (declarations[name]) continue;
      const base = inherited?.parameters[name];
      if (base !== undefined && base !== null && value !== null && jsonType(base) !== jsonType(value)) {
        problems.push({ path: `/parameters/${name}`, message: `参数 ${name} 应为 ${jsonType(base)} 类型，与上级一致 (is ${jsonType(value)})` });
      }
    }
    for (const [formKey, doc] of Object.entries(b.forms ?? {})) problems.push(...this.forms.check(doc, `/forms/${formKey}`));
    problems.push(...checkCaseRules(b));
    const available = new Set([...Object.keys(b.forms ?? {}), ...(inherited?.forms.map((f) => f.formKey) ?? [])]);
    const keys = new Set<string>();
    for (const [i, p] of (b.processes ?? []).entries()) {
      const where = `/processes/${i}`;
      if (keys.has(p.key)) problems.push({ path: `${where}/key`, message: `流程 ${p.key} 重复 (duplicate key)` });
      keys.add(p.key);
      const deployable = await checkDeployable(this.engine, p.xml, p.key, available, { xml: `${where}/xml`, key: `${where}/key` });
      // A bundle carries its forms: a form key resolving nowhere is a mistake in it (API.md), not a warning.
      problems.push(...deployable.problems, ...deployable.warnings);
      if (deployable.name !== null) names.set(p.key, deployable.name);
    }
    const decisionKeys = new Set<string>();
    for (const [i, d] of (b.decisions ?? []).entries()) {
      if (decisionKeys.has(d.key)) problems.push({ path: `/decisions/${i}/key`, message: `决策文件 ${d.key} 重复 (duplicate key)` });
      decisionKeys.add(d.key);
      const doc = await checkDecisionDocument(d.xml, d.key, `/decisions/${i}/xml`);
      problems.push(...doc.problems);
      if (doc.name !== null) decisionNames.set(d.key, doc.name);
    }
    return { problems, warnings, names, decisionNames };
  }

  /**
   * Validates and stores a bundle; only new or changed items get a new version, the jurisdiction
   * itself too (its version guards against a save in between: 409, never a silent overwrite).
   */
  async import(bundle: unknown, actor: string, options: ImportOptions = {}): Promise<{ jurisdiction: string; version: number; processes: number; forms: number; warnings: FieldProblem[] }> {
    const { problems, warnings, names, decisionNames } = await this.check(bundle);
    if (problems.length) throw invalid(`规则集有 ${problems.length} 处问题，未保存任何内容 (rule set refused, nothing stored)`, problems);
    const b = bundle as Bundle;
    const id = b.jurisdiction.id;
    const before = await this.store.jurisdictions.get(id);
    const current = before ? before.version ?? 1 : 0;
    if (options.baseVersion !== undefined && options.baseVersion !== current) {
      throw conflict(`版本 ${options.baseVersion} 已过期：${id} 当前为版本 ${current} (stale baseVersion)`);
    }
    const at = new Date().toISOString();
    const definitions: DefinitionRecord[] = [];
    for (const p of b.processes ?? []) {
      const latest = await this.store.definitions.latest(id, p.key);
      if (latest?.xml === p.xml) continue;
      definitions.push({ jurisdiction: id, key: p.key, version: (latest?.version ?? 0) + 1, name: names.get(p.key)!, xml: p.xml, createdAt: at, createdBy: actor });
    }
    const decisions: DecisionRecord[] = [];
    for (const d of b.decisions ?? []) {
      const latest = await this.store.decisions.latest(id, d.key);
      if (latest?.xml === d.xml) continue;
      decisions.push({ jurisdiction: id, key: d.key, version: (latest?.version ?? 0) + 1, name: decisionNames.get(d.key)!, xml: d.xml, createdAt: at, createdBy: actor });
    }
    const forms: FormRecord[] = [];
    for (const [formKey, doc] of Object.entries(b.forms ?? {})) {
      const latest = await this.store.forms.latest(id, formKey);
      if (latest && JSON.stringify(latest.doc) === JSON.stringify(doc)) continue;
      forms.push({ jurisdiction: id, formKey, version: (latest?.version ?? 0) + 1, doc, createdAt: at, createdBy: actor });
    }
    const extra = Object.fromEntries(Object.entries(b).filter(([k]) => !KNOWN.has(k)));
    const record: JurisdictionRecord = {
      id, name: b.jurisdiction.name, parent: b.jurisdiction.parent ?? null,
      parameters: b.parameters ?? {}, vocabulary: b.vocabulary ?? {}, ...(Object.keys(extra).length ? { extra } : {}),
    };
    const changes = diffJurisdiction(before ? head(before) : null, head(record), MAP_MEMBERS);
    record.version = changes.length ? current + 1 : current;
    const audit: AuditEntry = {
      at, actor, action: options.action ?? 'ruleset.import', jurisdiction: id, targetType: 'ruleset', targetId: id,
      beforeVersion: current || null, afterVersion: record.version,
      detail: { processes: definitions.map((d) => `${d.key}@${d.version}`), decisions: decisions.map((d) => `${d.key}@${d.version}`), forms: forms.map((f) => `${f.formKey}@${f.version}`), changes },
    };
    try {
      await this.store.importRuleSet({ jurisdiction: record, expectedVersion: current, definitions, forms, decisions, audit: [audit] });
    } catch (err) {
      if (err instanceof ConflictError) throw conflict(`${id} 已被他人更新，请刷新后重试 (changed meanwhile): ${err.message}`);
      throw err;
    }
    await this.jurisdictions.refresh();
    return { jurisdiction: id, version: record.version, processes: definitions.length, forms: forms.length, warnings };
  }

  /**
   * PUT /api/jurisdictions/:id: creates (baseVersion 0) or updates a jurisdiction's name, parent,
   * parameters, vocabulary and groups, checked as a bundle would be. Admin of the jurisdiction (or
   * of an ancestor), and of the new parent when it creates or moves one.
   */
  async save(user: SessionUser, id: string, body: JsonObject): Promise<{ created: boolean; version: number }> {
    const exists = this.jurisdictions.exists(id);
    const before = exists ? this.jurisdictions.get(id) : null;
    const parent = body.parent === undefined ? before?.parent ?? null : body.parent;
    const parentKnown = typeof parent === 'string' && this.jurisdictions.exists(parent);
    const placing = !exists || parent !== before?.parent;
    let allowed = !exists || this.access.has(user, id, ['admin']);
    if (placing) allowed &&= parentKnown ? this.access.has(user, parent, ['admin']) : this.topLevelAdmin(user);
    if (!allowed) throw forbidden(`需要 ${parentKnown ? parent : exists ? id : '所有顶级辖区'} 的管理员角色 (admin only)`);
    if (!Number.isInteger(body.baseVersion) || (body.baseVersion as number) < 0) {
      throw badRequest('baseVersion 必须是非负整数，新建时为 0 (must be an integer, 0 to create)', [{ path: '/baseVersion', message: 'must be an integer ≥ 0' }]);
    }
    const { parameterTypes: ownTypes, groups: _groups, ...keptExtra } = before?.extra ?? {};
    const bundle: JsonObject = {
      ...keptExtra,
      ...(ownTypes !== undefined ? { parameterTypes: ownTypes } : {}),
      jurisdiction: { id, name: body.name ?? before?.name, parent },
      ...Object.fromEntries(EDITABLE.map((m) => [m, body[m] ?? {}])),
    };
    try {
      const saved = await this.import(bundle, user.username, { baseVersion: body.baseVersion as number, action: exists ? 'jurisdiction.update' : 'jurisdiction.create' });
      return { created: !exists, version: saved.version };
    } catch (err) {
      // The body is flat where a bundle nests the head under /jurisdiction: name the body's paths.
      const e = err as { errors?: FieldProblem[] };
      for (const p of e.errors ?? []) p.path = p.path.replace(/^\/jurisdiction(?=\/|$)/, '') || '/';
      throw err;
    }
  }

  private topLevelAdmin(user: SessionUser) {
    return this.jurisdictions.list().filter((x) => !x.parent).every((x) => this.access.has(user, x.id, ['admin']));
  }

  /** The bundle as stored: own items only (latest versions), so it round-trips through import. */
  async export(user: SessionUser, id: string): Promise<Bundle> {
    this.access.require(user, id, ['admin', 'official']);
    const j = this.jurisdictions.get(id);
    const forms: Bundle['forms'] = {};
    for (const f of await this.store.forms.listLatest(id)) forms[f.formKey] = f.doc;
    const processes = (await this.store.definitions.listLatest(id)).map((d) => ({ key: d.key, xml: d.xml }));
    const decisions = (await this.store.decisions.listLatest(id)).map((d) => ({ key: d.key, xml: d.xml }));
    return {
      ...(j.extra ?? {}),
      jurisdiction: { id: j.id, name: j.name, parent: j.parent },
      parameters: j.parameters,
      vocabulary: j.vocabulary,
      forms,
      processes,
      ...(decisions.length ? { decisions } : {}),
    };
  }
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** The XML files of a folder with one extension, each keyed by the id `idOf` finds in it (else its name). */
function readXmlFiles(dir: string, extension: string, idOf: RegExp): { key: string; xml: string }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(extension))
    .sort()
    .map((f) => {
      const xml = fs.readFileSync(path.join(dir, f), 'utf8');
      return { key: idOf.exec(xml)?.[1] ?? path.basename(f, extension), xml };
    });
}

/**
 * Reads one rule set from disk: <procDir>/jurisdiction.json + *.bpmn (+ *.dmn) and
 * <schemaDir>/<formKey>.schema.json (+ .ui.json, + .form.json for further members such as rules),
 * and Camunda Forms: <schemaDir>/*.form (form-js JSON; its key is the form's id, what formId links).
 * The id is jurisdiction.json's own, else the folder's name.
 */
export function readBundleDir(procDir: string, schemaDir = procDir): Bundle {
  const meta = readJson(path.join(procDir, 'jurisdiction.json'));
  const id: string = meta.id ?? path.basename(path.resolve(procDir));
  const processes = readXmlFiles(procDir, '.bpmn', /<bpmn:process\b[^>]*\bid="([^"]+)"/);
  const decisions = readXmlFiles(procDir, '.dmn', /<(?:\w+:)?definitions\b[^>]*\sid="([^"]+)"/);
  const forms: NonNullable<Bundle['forms']> = {};
  if (fs.existsSync(schemaDir)) {
    for (const f of fs.readdirSync(schemaDir).filter((x) => x.endsWith('.schema.json')).sort()) {
      const formKey = f.slice(0, -'.schema.json'.length);
      const extra = (name: string) => (fs.existsSync(path.join(schemaDir, name)) ? readJson(path.join(schemaDir, name)) : undefined);
      forms[formKey] = { ...(extra(`${formKey}.form.json`) ?? {}), schema: readJson(path.join(schemaDir, f)), uiSchema: extra(`${formKey}.ui.json`) ?? {} };
    }
    for (const f of fs.readdirSync(schemaDir).filter((x) => x.endsWith('.form')).sort()) {
      const formJs = readJson(path.join(schemaDir, f));
      forms[typeof formJs.id === 'string' ? formJs.id : path.basename(f, '.form')] = withFormJs({ formJs }).doc as JsonObject & { schema: JsonObject };
    }
  }
  const { id: _id, name, parent, parameters, vocabulary, ...rest } = meta;
  // Printable document templates live beside jurisdiction.json, one bundle member (see domain/documents.ts).
  const documents = path.join(procDir, 'documents.json');
  if (fs.existsSync(documents)) rest.documents = readJson(documents);
  return { ...rest, jurisdiction: { id, name, parent: parent ?? null }, parameters: parameters ?? {}, vocabulary: vocabulary ?? {}, forms, processes, ...(decisions.length ? { decisions } : {}) };
}

/** Every shipped rule set, parents before children. */
export function readShippedBundles(contentDir: string): Bundle[] {
  const dir = path.join(contentDir, 'processes');
  if (!fs.existsSync(dir)) return [];
  const bundles = fs
    .readdirSync(dir)
    .filter((d) => fs.existsSync(path.join(dir, d, 'jurisdiction.json')))
    .map((d) => readBundleDir(path.join(dir, d), path.join(contentDir, 'schemas', d)));
  for (const b of bundles) {
    const parent = b.jurisdiction.parent;
    if (parent && !bundles.some((p) => p.jurisdiction.id === parent)) throw new Error(`shipped rule set ${b.jurisdiction.id} has an unknown parent ${parent}`);
  }
  return parentsFirst(bundles, (b) => b.jurisdiction);
}
