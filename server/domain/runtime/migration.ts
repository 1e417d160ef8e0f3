// Migrating running instances of a process onto a newer version (Camunda Operate's migration):
// an active element keeps its id unless the mapping names another; an instance with an active
// element the new version has no counterpart for (or one of another kind) is refused and left as
// it is. A dry run gives the same verdicts and changes nothing; each migration is audited.
import { compile } from '../../bpmn/read.js';
import { badRequest, DomainError } from '../../errors.js';
import { isPlainObject } from '../../json.js';
import type { InstanceRecord, JsonObject, Store } from '../../store/index.js';
import type { Access, SessionUser } from '../access.js';
import type { Jurisdictions } from '../jurisdictions.js';
import type { Steps } from './steps.js';

export interface MigrationRequest {
  jurisdiction: string;
  processKey: string;
  fromVersion: number;
  toVersion: number;
  mapping: Record<string, string>;
  instanceIds?: string[];
}

export interface MigrationReport {
  migrated: string[];
  refused: { id: string; reason: string }[];
}

const MIGRATORS = ['official', 'admin'];
const PAGE = 500;

/** The request body, checked field by field (every problem at once). */
function parseRequest(body: JsonObject): MigrationRequest {
  const problems: { path: string; message: string }[] = [];
  for (const name of ['jurisdiction', 'processKey']) {
    if (typeof body[name] !== 'string' || !body[name]) problems.push({ path: `/${name}`, message: '必填文字 (required string)' });
  }
  for (const name of ['fromVersion', 'toVersion']) {
    if (!Number.isInteger(body[name]) || (body[name] as number) < 1) problems.push({ path: `/${name}`, message: '应为正整数 (positive integer)' });
  }
  const mapping = body.mapping ?? {};
  if (!isPlainObject(mapping) || !Object.values(mapping).every((v) => typeof v === 'string')) {
    problems.push({ path: '/mapping', message: '应为 {原环节: 新环节} (an object of element ids)' });
  }
  const ids = body.instanceIds;
  if (ids !== undefined && !(Array.isArray(ids) && ids.every((v) => typeof v === 'string'))) problems.push({ path: '/instanceIds', message: '应为实例编号列表 (array of ids)' });
  if (problems.length) throw badRequest('迁移请求有误 (malformed migration request)', problems);
  return { ...(body as unknown as MigrationRequest), mapping: mapping as Record<string, string> };
}

export class Migrations {
  constructor(
    private readonly store: Store,
    private readonly steps: Steps,
    private readonly jurisdictions: Jurisdictions,
    private readonly access: Access,
  ) {}

  async migrate(user: SessionUser, body: JsonObject, dryRun: boolean): Promise<MigrationReport> {
    const req = parseRequest(body);
    this.jurisdictions.get(req.jurisdiction);
    this.access.require(user, req.jurisdiction, MIGRATORS);
    const from = await this.jurisdictions.definition(req.jurisdiction, req.processKey, req.fromVersion);
    const to = await this.jurisdictions.definition(req.jurisdiction, req.processKey, req.toVersion);
    const target = (await compile(to.xml)).meta;
    const source = (await compile(from.xml)).meta;
    const report: MigrationReport = { migrated: [], refused: [] };
    for (const { id, inst } of await this.candidates(req, from.jurisdiction)) {
      const verdict = inst ? this.verdict(inst, req, from.jurisdiction, source, target) : '没有这个实例 (no such instance)';
      if (typeof verdict === 'string' || !inst) {
        report.refused.push({ id, reason: verdict as string });
        continue;
      }
      if (!dryRun) {
        try {
          await this.steps.execute(inst.id, { type: 'migrate', to: { id: `${to.jurisdiction}/${to.key}/${to.version}`, xml: to.xml }, mapping: verdict }, user.username, {
            action: 'instance.migrate',
            moveTo: { version: to.version, definedAt: to.jurisdiction },
            detail: { fromVersion: inst.version, toVersion: to.version, mapping: verdict },
          });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          report.refused.push({ id: inst.id, reason: err.message });
          continue;
        }
      }
      report.migrated.push(inst.id);
    }
    return report;
  }

  /** The instances asked for: those named, else every active one of the from-version in the jurisdiction and below. */
  private async candidates(req: MigrationRequest, definedAt: string): Promise<{ id: string; inst: InstanceRecord | null }[]> {
    if (req.instanceIds) return Promise.all([...new Set(req.instanceIds)].map(async (id) => ({ id, inst: await this.store.instances.get(id) })));
    const scope = this.jurisdictions.descendants(req.jurisdiction);
    const all: InstanceRecord[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.store.instances.list({ jurisdictions: scope, processKey: req.processKey, status: 'active', limit: PAGE, cursor });
      all.push(...page.items.filter((i) => i.version === req.fromVersion && i.definedAt === definedAt));
      cursor = page.nextCursor;
    } while (cursor);
    return all.map((inst) => ({ id: inst.id, inst }));
  }

  /** The mapping for the instance's active elements, or why it cannot move. */
  private verdict(
    inst: InstanceRecord,
    req: MigrationRequest,
    definedAt: string,
    source: Map<string, { type: string; name: string }>,
    target: Map<string, { type: string; name: string }>,
  ): Record<string, string> | string {
    const scope = this.jurisdictions.descendants(req.jurisdiction);
    if (!scope.includes(inst.jurisdiction) || inst.processKey !== req.processKey) return `实例不属于 ${req.jurisdiction} 的流程 ${req.processKey} (not an instance of this process here)`;
    if (inst.version !== req.fromVersion || inst.definedAt !== definedAt) return `实例运行的是版本 ${inst.version}，不是版本 ${req.fromVersion} (runs another version)`;
    if (inst.status !== 'active') return `实例状态为 ${inst.status}，只能迁移运行中的实例 (only active instances migrate)`;
    const mapping: Record<string, string> = {};
    for (const a of inst.active) {
      const to = req.mapping[a.elementId] ?? a.elementId;
      const there = target.get(to);
      if (!there) return `环节“${a.name}”在版本 ${req.toVersion} 中没有对应环节，请指定对应环节 (no counterpart in the new version)`;
      const kind = source.get(a.elementId)?.type;
      if (kind && there.type !== kind) return `环节“${a.name}”映射到的“${there.name}”类型不同 (mapped to an element of another type)`;
      mapping[a.elementId] = to;
    }
    return mapping;
  }
}
