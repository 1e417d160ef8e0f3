// Process instances: starting one, reading it, cancelling it, retrying its incident.
import crypto from 'node:crypto';
import { badRequest, conflict } from '../../errors.js';
import type { Command } from '../../engine/index.js';
import { isPlainObject } from '../../json.js';
import type { DefinitionRecord, HistoryEntry, InstanceRecord, InstanceStatus, JsonObject, PageQuery, Store } from '../../store/index.js';
import type { Access, SessionUser } from '../access.js';
import type { Jurisdictions } from '../jurisdictions.js';
import { displayNames } from '../people.js';
import { jobRetry, retryJobChange } from './jobs.js';
import { copiedTo, readerKeys } from './readers.js';
import { findInstance } from './records.js';
import { auditEntry, stoppedWhole, type Steps } from './steps.js';
import { namedPeople } from './opinions.js';

/** Roles that may start cases and publish messages. */
export const STARTERS = ['staff', 'official', 'admin'];

export const INSTANCE_STATUSES: InstanceStatus[] = ['active', 'completed', 'cancelled', 'incident'];

export interface InstanceFilter extends PageQuery {
  /** The jurisdiction (and its descendants) to list; none: all the user sees. */
  jurisdiction?: string;
  processKey?: string;
  status?: InstanceStatus;
  /** Only cases the user started (我发起的). */
  mine?: boolean;
  /** Only cases copied to the user (抄送我的). */
  copied?: boolean;
  /** A case number or text in the title or reporter. */
  q?: string;
}

/** An instance as the API shows it: no engine state or revision, the incident without its command. */
function publicInstance({ engineState: _state, revision: _rev, incident, ...rest }: InstanceRecord) {
  return { ...rest, title: rest.summary?.title ?? null, incident: incident && { elementId: incident.elementId, message: incident.message, at: incident.at } };
}

export class Instances {
  constructor(
    private readonly store: Store,
    private readonly steps: Steps,
    private readonly jurisdictions: Jurisdictions,
    private readonly access: Access,
  ) {}

  async start(user: SessionUser, body: JsonObject) {
    const { jurisdiction, processKey, variables = {} } = body;
    if (typeof jurisdiction !== 'string') throw badRequest('缺少 jurisdiction', [{ path: '/jurisdiction', message: 'required' }]);
    if (typeof processKey !== 'string') throw badRequest('缺少 processKey', [{ path: '/processKey', message: 'required' }]);
    if (!isPlainObject(variables)) throw badRequest('variables 必须是对象', [{ path: '/variables', message: 'must be an object' }]);
    this.jurisdictions.get(jurisdiction);
    this.access.require(user, jurisdiction, STARTERS);
    const def = await this.jurisdictions.definition(jurisdiction, processKey);
    return this.view(await this.create(jurisdiction, def, variables, user.username));
  }

  /**
   * Starts an instance of a definition effective in the jurisdiction (a person's start, or a timer
   * start's); returns its id. A given id is started once: a second start of it is a conflict (409).
   */
  /** `startAt`: the start event to start at (a signal start), else the none start event. */
  async create(jurisdiction: string, def: DefinitionRecord, variables: JsonObject, startedBy: string, id: string = crypto.randomUUID(), startAt?: string): Promise<string> {
    const effective = await this.jurisdictions.effective(jurisdiction);
    const instance: InstanceRecord = {
      id, jurisdiction, processKey: def.key, version: def.version, definedAt: def.jurisdiction, status: 'active',
      startedAt: new Date().toISOString(), startedBy, endedAt: null, variables, params: effective.parameters, active: [],
      incident: null, engineState: null, revision: 0,
    };
    const command: Command = { type: 'start', variables, ...(startAt && { startAt }) };
    await this.steps.start(instance, def.xml, command, startedBy, [
      auditEntry(startedBy, 'instance.start', instance, { processKey: def.key, version: def.version, definedAt: def.jurisdiction }),
    ]);
    return instance.id;
  }

  /** An instance with its history and the instances its call activities started. */
  private async view(id: string) {
    const i = await findInstance(this.store, id);
    const history = await this.store.instances.history(id);
    const names = await displayNames(this.store.users, history.flatMap((h) => [h.by, ...namedPeople(h)]));
    // Each entry carries the names of the people it names, so that no account shows where a person looks.
    const namesOf = (h: HistoryEntry) => Object.fromEntries(namedPeople(h).flatMap((a) => (names.has(a) ? [[a, names.get(a)!]] : [])));
    const children = (await this.store.instances.list({ parentId: id, limit: 1000 })).items;
    return {
      ...publicInstance(i),
      history: history.map((h) => ({ ...h, byName: h.by ? names.get(h.by) ?? null : null, names: namesOf(h) })),
      children: children.map((c) => ({ id: c.id, processKey: c.processKey, version: c.version, status: c.status, parentRef: c.parentRef, startedAt: c.startedAt })),
    };
  }

  async list(user: SessionUser, { jurisdiction, mine, copied, ...filter }: InstanceFilter) {
    const page = await this.store.instances.list({
      ...filter,
      ...(mine && { startedBy: user.username }),
      // A copy reaches across jurisdictions: 抄送我的 is not limited to where the user is a member.
      ...(copied ? { readers: readerKeys(user), jurisdictions: jurisdiction ? this.access.scope(user, jurisdiction) : undefined } : { jurisdictions: this.access.scope(user, jurisdiction) }),
    });
    return { items: page.items.map(publicInstance), nextCursor: page.nextCursor };
  }

  /** Members of the case's jurisdiction read it, and so do those it was copied to (抄送), from anywhere. */
  async get(user: SessionUser, id: string) {
    const view = await this.view(id);
    if (!copiedTo(view.history, user)) this.access.requireMember(user, view.jurisdiction);
    return view;
  }

  async cancel(user: SessionUser, id: string) {
    const inst = await findInstance(this.store, id);
    this.access.require(user, inst.jurisdiction, ['official', 'admin']);
    // As on Zeebe, a called instance goes with its call: cancel the instance that called it.
    if (inst.parentId) throw conflict(`该实例由上级实例 ${inst.parentId} 调用，请取消上级实例 (cancel the calling instance instead)`);
    await this.steps.execute(id, { type: 'cancel' }, user.username, { action: 'instance.cancel' });
    return this.view(id);
  }

  /**
   * Retries an incident after merging corrected variables. One at an element (`ref`: which; the
   * first by default) tries that element again, and a job's (no retries left, an uncaught error)
   * makes the job activatable again with `retries` (default 1); one that stopped the whole
   * instance replays the command that failed.
   */
  async retry(user: SessionUser, id: string, variables: unknown, retries?: unknown, ref?: unknown) {
    const inst = await findInstance(this.store, id);
    this.access.require(user, inst.jurisdiction, ['official', 'admin']);
    if (variables !== undefined && !isPlainObject(variables)) throw badRequest('variables 必须是对象', [{ path: '/variables', message: 'must be an object' }]);
    if (ref !== undefined && typeof ref !== 'string') throw badRequest('ref 应为字符串', [{ path: '/ref', message: 'must be a string' }]);
    if (inst.status !== 'incident' || !inst.incident?.command) throw conflict(`实例 ${id} 没有待处理的故障 (no incident to retry)`);
    const patch = variables as JsonObject | undefined;
    const stopped = inst.active.filter((a) => a.incident);
    if (!stoppedWhole(inst) && stopped.length) {
      const at = stopped.find((a) => ref === undefined || a.incident!.ref === ref);
      if (!at) throw conflict(`该环节没有待处理的故障 (no incident at ${String(ref)})`);
      const { job: key, ref: element } = at.incident!;
      const jobChange = key === undefined ? undefined : retryJobChange(key, retries);
      await this.steps.execute(id, { type: 'resolveIncident', ref: element }, user.username, {
        action: 'instance.retry', patch, retry: true, detail: { elementId: at.elementId }, ...(jobChange && { before: async () => ({ jobChange }) }),
      });
      return this.view(id);
    }
    const job = jobRetry(inst.incident.command, retries);
    if (job) {
      await this.steps.execute(id, job.command, user.username, { action: 'instance.retry', patch, retry: true, before: async () => ({ jobChange: job.change }) });
      return this.view(id);
    }
    // The corrected variables win over those the failed command carried (e.g. the form data).
    const failed = inst.incident.command as Command;
    const command = patch && 'variables' in failed ? ({ ...failed, variables: { ...failed.variables, ...patch } } as Command) : failed;
    await this.steps.execute(id, command, user.username, { action: 'instance.retry', patch, retry: true });
    return this.view(id);
  }
}
