// Camunda 8's deployResource for Yishi (POST /camunda/v2/deployments): .bpmn, .dmn and .form files
// deployed together at one jurisdiction, all or none, as Zeebe does. A tenant is a jurisdiction
// (its id); without one, the one jurisdiction where the account is an official or admin. Every
// file passes the checks of a single deploy first (the same Chinese refusals, naming the file and
// the element); then forms, decision tables and processes are written in that order through the
// catalog, each a new version audited as the account's, except a file equal to the version there
// already (Zeebe's duplicate check: it answers with the deployed version).
import { DomainError, type FieldProblem } from '../errors.js';
import type { Engine } from '../engine/index.js';
import { readDmn } from '../dmn/read.js';
import { withFormJs } from '../forms/formjs.js';
import { isPlainObject, type JsonObject } from '../json.js';
import type { Access, SessionUser } from './access.js';
import type { Catalog } from './catalog.js';
import { checkDecisionDocument } from './decisions.js';
import { checkDeployable } from './deployable.js';
import type { Forms } from './forms.js';
import type { Jurisdictions } from './jurisdictions.js';

export interface Resource {
  name: string;
  content: Buffer;
}

/** Camunda's only tenant when multi-tenancy is off: here, the account's own jurisdiction. */
export const DEFAULT_TENANT = '<default>';
const EDITORS = ['official', 'admin'];

type Kind = 'bpmn' | 'dmn' | 'form';
const KINDS: [RegExp, Kind][] = [[/\.(bpmn|bpmn20\.xml|xml)$/i, 'bpmn'], [/\.dmn$/i, 'dmn'], [/\.form$/i, 'form']];

interface Checked {
  resource: Resource;
  kind: Kind;
  /** Process id (the file's first process), definitions id, or form id. */
  key: string;
  text: string;
  formJs?: JsonObject;
}

// Zeebe's rejection of a deployment: 400 INVALID_ARGUMENT, every file's errors in one detail.
const rejected = (problems: FieldProblem[]) =>
  new DomainError(
    400, 'INVALID_ARGUMENT',
    `部署被拒绝，共 ${problems.length} 处问题：${problems.map((p) => `${p.path.replace(/^\/resources\//, '')}：${p.message}`).join('；')} (Expected to deploy new resources, but encountered errors)`,
    problems,
  );

export class Deployments {
  private lastKey = 0;

  constructor(
    private readonly engine: Engine,
    private readonly catalog: Catalog,
    private readonly jurisdictions: Jurisdictions,
    private readonly forms: Forms,
    private readonly access: Access,
  ) {}

  /** The jurisdiction a tenant id names; without one, the account's only jurisdiction as official or admin. */
  jurisdiction(user: SessionUser, tenantId: string | undefined): string {
    if (tenantId && tenantId !== DEFAULT_TENANT) {
      if (!this.jurisdictions.exists(tenantId)) {
        throw new DomainError(400, 'INVALID_ARGUMENT', `没有辖区 ${tenantId}：tenantId 应为辖区编号 (tenantId must name a jurisdiction)`, [{ path: '/tenantId', message: 'unknown jurisdiction' }]);
      }
      return tenantId;
    }
    const own = [...new Set(user.memberships.filter((m) => m.roles.some((r) => EDITORS.includes(r))).map((m) => m.jurisdiction))];
    if (own.length !== 1) {
      throw new DomainError(400, 'INVALID_ARGUMENT', `账号在 ${own.length} 个辖区可发布流程，请以 tenantId 指明辖区 (tenantId is required: name the jurisdiction)`, [{ path: '/tenantId', message: 'required' }]);
    }
    return own[0]!;
  }

  async deploy(user: SessionUser, tenantId: string | undefined, resources: Resource[]) {
    const jurisdiction = this.jurisdiction(user, tenantId);
    this.access.require(user, jurisdiction, EDITORS);
    if (!resources.length) throw new DomainError(400, 'INVALID_ARGUMENT', '没有要部署的文件 (no resources given)', [{ path: '/resources', message: 'required' }]);
    const checked = await this.check(jurisdiction, resources);
    const tenant = jurisdiction;
    const deployments: JsonObject[] = [];
    for (const c of checked.filter((x) => x.kind === 'form')) {
      const seen = await this.jurisdictions.form(jurisdiction, c.key).catch(() => null);
      const same = seen?.jurisdiction === jurisdiction && JSON.stringify(seen.doc.formJs) === JSON.stringify(c.formJs);
      const version = same ? seen.version : (await this.catalog.saveForm(user, jurisdiction, c.key, { formJs: c.formJs!, baseVersion: seen?.version ?? 0 })).version;
      deployments.push({ form: { formId: c.key, version, resourceName: c.resource.name, tenantId: tenant, formKey: `${jurisdiction}/${c.key}/${version}` } });
    }
    for (const c of checked.filter((x) => x.kind === 'dmn')) {
      const seen = await this.jurisdictions.decision(jurisdiction, c.key).catch(() => null);
      const deployed = seen?.jurisdiction === jurisdiction && seen.xml === c.text
        ? { version: seen.version, name: seen.name, decisions: (await checkDecisionDocument(c.text, c.key, '')).decisions }
        : await this.catalog.deployDecision(user, jurisdiction, c.key, c.text, seen?.version ?? 0);
      const requirementsKey = `${jurisdiction}/${c.key}/${deployed.version}`;
      for (const d of deployed.decisions) {
        deployments.push({
          decisionDefinition: {
            decisionDefinitionId: d.id, version: deployed.version, name: d.name, tenantId: tenant,
            decisionRequirementsId: c.key, decisionDefinitionKey: `${requirementsKey}#${d.id}`, decisionRequirementsKey: requirementsKey,
          },
        });
      }
      deployments.push({
        decisionRequirements: {
          decisionRequirementsId: c.key, decisionRequirementsName: deployed.name, version: deployed.version,
          resourceName: c.resource.name, tenantId: tenant, decisionRequirementsKey: requirementsKey,
        },
      });
    }
    for (const c of checked.filter((x) => x.kind === 'bpmn')) {
      const seen = await this.jurisdictions.definition(jurisdiction, c.key).catch(() => null);
      const processes = seen?.jurisdiction === jurisdiction && seen.xml === c.text
        ? [{ key: c.key, version: seen.version }]
        : await this.catalog.deployProcess(user, jurisdiction, c.key, c.text, seen?.version ?? 0).then((d) => [d, ...(d.others ?? [])]);
      for (const p of processes) {
        deployments.push({
          processDefinition: {
            processDefinitionId: p.key, processDefinitionVersion: p.version, resourceName: c.resource.name, tenantId: tenant,
            processDefinitionKey: `${jurisdiction}/${p.key}/${p.version}`,
          },
        });
      }
    }
    this.lastKey = Math.max(Date.now(), this.lastKey + 1);
    return { deploymentKey: this.lastKey, tenantId: tenant, deployments };
  }

  /** Every file as a single deploy would check it (forms in the request count as there); all problems, or the files read. */
  private async check(jurisdiction: string, resources: Resource[]): Promise<Checked[]> {
    const problems: FieldProblem[] = [];
    const out: Checked[] = [];
    const path = (r: Resource) => `/resources/${r.name}`;
    for (const resource of resources) {
      const kind = KINDS.find(([re]) => re.test(resource.name))?.[1];
      const text = resource.content.toString('utf8');
      if (!kind) {
        problems.push({ path: path(resource), message: '不支持的文件类型：只能部署 .bpmn、.xml、.dmn 和 .form 文件 (Resource type is not supported)' });
      } else if (kind === 'form') {
        const formJs = parseJson(text);
        const id = isPlainObject(formJs) && typeof formJs.id === 'string' ? formJs.id : '';
        if (!id) {
          problems.push({ path: path(resource), message: 'Camunda 表单缺少 id (form-js document without an id)' });
          continue;
        }
        try {
          problems.push(...this.forms.check(withFormJs({ formJs: formJs as JsonObject }).doc, path(resource)));
          out.push({ resource, kind, key: id, text, formJs: formJs as JsonObject });
        } catch (err) {
          problems.push({ path: path(resource), message: (err as Error).message });
        }
      } else if (kind === 'dmn') {
        const drg = await readDmn(text);
        const found = await checkDecisionDocument(text, drg.id, path(resource));
        problems.push(...found.problems);
        out.push({ resource, kind, key: drg.id, text });
      } else {
        out.push({ resource, kind, key: (await this.engine.inspect(text)).processes[0]?.key ?? '', text });
      }
    }
    const forms = new Set([...(await this.jurisdictions.effective(jurisdiction)).forms.map((f) => f.formKey), ...out.filter((c) => c.kind === 'form').map((c) => c.key)]);
    for (const c of out.filter((x) => x.kind === 'bpmn')) {
      const where = path(c.resource);
      problems.push(...(await checkDeployable(this.engine, c.text, c.key, forms, { xml: where, key: where })).problems);
    }
    if (problems.length) throw rejected(problems);
    return out;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
