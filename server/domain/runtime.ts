// Instances and tasks: every engine command runs under the instance's lock, and the Step it leads
// to is written in one store transaction with the change that caused it (a task completion, a
// consumed message). A failed step becomes an incident that keeps the command for a retry.
import crypto from 'node:crypto';
import { badRequest, conflict, forbidden, invalid, notFound } from '../errors.js';
import type { Command, Engine, Step } from '../engine/index.js';
import {
  ConflictError,
  type AuditEntry, type InstanceRecord, type JsonObject, type StepChange, type Store, type TaskRecord,
} from '../store/index.js';
import type { Access, SessionUser } from './access.js';
import type { Forms, Locale } from './forms.js';
import type { Jurisdictions } from './jurisdictions.js';

const STARTERS = ['staff', 'official', 'admin'];
const DEFAULT_MESSAGE_TTL_MS = 60 * 60 * 1000;

/** Serialises work per key: one command at a time on an instance. */
class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    tail.then(() => this.tails.get(key) === tail && this.tails.delete(key));
    return next;
  }
}

/** Whether a step differs from what the instance already records. */
function changedBy(inst: InstanceRecord, step: Step): boolean {
  const waits = (list: { elementId: string }[]) => list.map((w) => w.elementId).sort().join();
  return (
    step.status !== inst.status || step.events.length > 0 || step.effects.length > 0 ||
    waits(step.waits) !== waits(inst.active) || JSON.stringify(step.variables) !== JSON.stringify(inst.variables)
  );
}

const LABEL_KEYS = new Set(['title', 'description', 'enumNames']);
const DATA_KEYS = new Set(['enum', 'const', 'default', 'examples', 'required', 'pattern', 'format', 'type', '$ref']);

/** Applies the vocabulary to the labels of a schema, never to its values (enum, const…). */
function localizeLabels(value: unknown, localize: (text: string) => string, isLabel = false): any {
  if (typeof value === 'string') return isLabel ? localize(value) : value;
  if (Array.isArray(value)) return value.map((v) => localizeLabels(v, localize, isLabel));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, DATA_KEYS.has(k) ? v : localizeLabels(v, localize, LABEL_KEYS.has(k))]));
  }
  return value;
}

function isPlainObject(value: unknown): value is JsonObject {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** ISO 8601 duration (PT1H) or milliseconds. */
function ttlMs(ttl: unknown): number {
  if (ttl === undefined || ttl === null) return DEFAULT_MESSAGE_TTL_MS;
  if (typeof ttl === 'number' && ttl >= 0 && Number.isFinite(ttl)) return ttl;
  const m = typeof ttl === 'string' ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(ttl) : null;
  if (!m || ttl === 'P' || ttl === 'PT') throw badRequest('ttl 应为毫秒数或 ISO 8601 时长 (ttl must be ms or an ISO duration)', [{ path: '/ttl', message: 'invalid' }]);
  return (((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
}

export class Runtime {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly jurisdictions: Jurisdictions,
    private readonly access: Access,
    private readonly forms: Forms,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    // A self-driven engine (Zeebe) moves instances on its own: record what it did.
    engine.onProgress?.((instanceId) => this.sync(instanceId));
  }

  private sweepCursor: string | null = null;

  /** Commits what a self-driven engine did by itself on one instance. */
  async sync(instanceId: string) {
    await this.systemStep(instanceId, { type: 'sync' }, 'engine.progress');
  }

  /**
   * The scheduler's tick: the embedded engine's due timers; for a self-driven engine, a look at the
   * active instances that wait on no task here (a Zeebe timer may have ended them).
   */
  async tick(now = new Date()): Promise<number> {
    if (!this.engine.selfDriven) return this.fireDueTimers(now);
    // One page per tick, going round all active instances over successive ticks.
    const active = await this.store.instances.list({ status: 'active', limit: 100, cursor: this.sweepCursor });
    this.sweepCursor = active.nextCursor;
    let synced = 0;
    for (const i of active.items) {
      if (i.active.length) continue;
      await this.sync(i.id);
      synced++;
    }
    return synced;
  }

  // ---- instances ----

  async start(user: SessionUser, body: JsonObject) {
    const { jurisdiction, processKey, variables = {} } = body;
    if (typeof jurisdiction !== 'string') throw badRequest('缺少 jurisdiction', [{ path: '/jurisdiction', message: 'required' }]);
    if (typeof processKey !== 'string') throw badRequest('缺少 processKey', [{ path: '/processKey', message: 'required' }]);
    if (!isPlainObject(variables)) throw badRequest('variables 必须是对象', [{ path: '/variables', message: 'must be an object' }]);
    this.jurisdictions.get(jurisdiction);
    this.access.require(user, jurisdiction, STARTERS);
    const def = await this.jurisdictions.definition(jurisdiction, processKey);
    const effective = await this.jurisdictions.effective(jurisdiction);
    const now = new Date().toISOString();
    const instance: InstanceRecord = {
      id: crypto.randomUUID(), jurisdiction, processKey, version: def.version, definedAt: def.jurisdiction, status: 'active',
      startedAt: now, startedBy: user.username, endedAt: null, variables, params: effective.parameters, active: [],
      incident: null, engineState: null, revision: 0,
    };
    const command: Command = { type: 'start', variables };
    await this.lock.run(instance.id, async () => {
      const step = await this.engine.run(this.context(instance, def.xml), command);
      await this.commit(instance, null, step, command, user.username, {
        audit: [this.audit(user.username, 'instance.start', instance, { processKey, version: def.version, definedAt: def.jurisdiction })],
      });
    });
    return this.view(instance.id);
  }

  async view(id: string) {
    const i = await this.store.instances.get(id);
    if (!i) throw notFound(`流程实例 ${id} 不存在 (no such instance)`);
    const history = await this.store.instances.history(id);
    const { engineState: _state, revision: _rev, incident, ...rest } = i;
    return { ...rest, incident: incident && { elementId: incident.elementId, message: incident.message, at: incident.at }, history };
  }

  async get(user: SessionUser, id: string) {
    const view = await this.view(id);
    this.access.requireMember(user, view.jurisdiction);
    return view;
  }

  async cancel(user: SessionUser, id: string) {
    const inst = await this.mustGet(id);
    this.access.require(user, inst.jurisdiction, ['official', 'admin']);
    await this.execute(id, { type: 'cancel' }, user.username, { action: 'instance.cancel' });
    return this.view(id);
  }

  /** Replays the command that failed, after merging corrected variables. */
  async retry(user: SessionUser, id: string, variables: unknown) {
    const inst = await this.mustGet(id);
    this.access.require(user, inst.jurisdiction, ['official', 'admin']);
    if (variables !== undefined && !isPlainObject(variables)) throw badRequest('variables 必须是对象', [{ path: '/variables', message: 'must be an object' }]);
    if (inst.status !== 'incident' || !inst.incident?.command) throw conflict(`实例 ${id} 没有待处理的故障 (no incident to retry)`);
    // The corrected variables win over those the failed command carried (e.g. the form data).
    const failed = inst.incident.command as Command;
    const patch = variables as JsonObject | undefined;
    const command = patch && 'variables' in failed ? ({ ...failed, variables: { ...failed.variables, ...patch } } as Command) : failed;
    await this.execute(id, command, user.username, { action: 'instance.retry', patch, retry: true });
    return this.view(id);
  }

  // ---- tasks ----

  async task(user: SessionUser, id: string, locale: Locale) {
    const t = await this.mustGetTask(id);
    this.access.requireMember(user, t.jurisdiction);
    const effective = await this.jurisdictions.effective(t.jurisdiction);
    const form = t.formKey ? await this.jurisdictions.form(t.jurisdiction, t.formKey) : null;
    return {
      ...t,
      name: this.jurisdictions.localize(t.name, effective.vocabulary),
      form: form && { schema: localizeLabels(form.doc.schema, (text) => this.jurisdictions.localize(text, effective.vocabulary)), uiSchema: form.doc.uiSchema ?? {}, rules: form.doc.rules ?? [], version: form.version, definedAt: form.jurisdiction },
      locale,
    };
  }

  async claim(user: SessionUser, id: string, claim: boolean) {
    const t = await this.mustGetTask(id);
    this.mayWork(user, t);
    if (t.status !== 'open') throw conflict(`任务已${t.status === 'completed' ? '完成' : '取消'} (task is no longer open)`);
    if (claim && t.assignee && t.assignee !== user.username) throw conflict(`任务已由 ${t.assignee} 认领 (already claimed)`);
    if (!claim && t.assignee !== user.username && !this.access.has(user, t.jurisdiction, ['official', 'admin'])) {
      throw forbidden('只能退回自己认领的任务 (only the assignee may unclaim)');
    }
    await this.store.tasks
      .assign(t.id, t.version, claim ? user.username : null, {
        at: new Date().toISOString(), actor: user.username, action: claim ? 'task.claim' : 'task.unclaim',
        jurisdiction: t.jurisdiction, targetType: 'task', targetId: t.id, instanceId: t.instanceId, beforeVersion: t.version, afterVersion: t.version + 1,
      })
      .catch(this.conflictAsHttp);
    return this.store.tasks.get(id);
  }

  async complete(user: SessionUser, id: string, data: unknown, locale: Locale) {
    const t = await this.mustGetTask(id);
    this.mayWork(user, t);
    if (t.status !== 'open') throw conflict(`任务已${t.status === 'completed' ? '完成' : '取消'} (task is no longer open)`);
    if (!isPlainObject(data)) throw invalid('data 必须是对象 (data must be an object)', [{ path: '/data', message: 'must be an object' }]);
    if (t.formKey) {
      const form = await this.jurisdictions.form(t.jurisdiction, t.formKey);
      const problems = this.forms.validate(form, data, locale);
      if (problems.length) throw invalid(`表单有 ${problems.length} 处错误 (form has errors)`, problems);
    }
    await this.execute(t.instanceId, { type: 'completeTask', ref: t.ref, variables: data }, user.username, {
      action: 'task.complete',
      before: async () => {
        const fresh = await this.mustGetTask(id);
        if (fresh.status !== 'open') throw conflict('任务已被处理 (task is no longer open)');
        return { completeTask: { id, expectedVersion: fresh.version, data, by: user.username, at: new Date().toISOString() } };
      },
    });
    return this.store.tasks.get(id);
  }

  // ---- timers and messages ----

  /** Resumes every instance with a timer due by now; returns how many were resumed. */
  async fireDueTimers(now = new Date()): Promise<number> {
    const due = await this.store.timers.due(now.toISOString(), 100);
    const instances = [...new Set(due.map((t) => t.instanceId))];
    for (const id of instances) {
      const refs = due.filter((t) => t.instanceId === id).map((t) => t.ref);
      await this.systemStep(id, { type: 'fireTimers', refs }, 'timer.fire');
    }
    return instances.length;
  }

  async publishMessage(user: SessionUser, body: JsonObject): Promise<{ status: 200 | 202; body: JsonObject }> {
    const { name, correlationKey, variables = {}, ttl } = body;
    if (typeof name !== 'string' || !name) throw badRequest('缺少消息名 name', [{ path: '/name', message: 'required' }]);
    if (typeof correlationKey !== 'string') throw badRequest('缺少 correlationKey', [{ path: '/correlationKey', message: 'must be a string' }]);
    if (!isPlainObject(variables)) throw badRequest('variables 必须是对象', [{ path: '/variables', message: 'must be an object' }]);
    const ttlValue = ttlMs(ttl);
    if (this.engine.selfDriven && this.engine.publishMessage) {
      if (!this.access.visible(user, STARTERS).length) throw forbidden('需要办理人员角色 (staff, official or admin only)');
      const { messageId } = await this.engine.publishMessage({ name, correlationKey, variables, ttlMs: ttlValue });
      return { status: 202, body: { messageId, buffered: true, expiresAt: new Date(Date.now() + ttlValue).toISOString() } };
    }
    const sub = await this.store.messages.findSubscription(name, correlationKey);
    if (sub) {
      const inst = await this.mustGet(sub.instanceId);
      this.access.require(user, inst.jurisdiction, STARTERS);
      await this.execute(sub.instanceId, { type: 'correlate', ref: sub.ref, variables }, user.username, { action: 'message.correlate' });
      return { status: 200, body: { instanceId: sub.instanceId, elementId: sub.elementId } };
    }
    const id = crypto.randomUUID();
    if (ttlValue > 0) {
      await this.store.messages.buffer({ id, name, correlationKey, variables, expiresAt: new Date(Date.now() + ttlValue).toISOString() });
    }
    return { status: 202, body: { messageId: id, buffered: ttlValue > 0, expiresAt: new Date(Date.now() + ttlValue).toISOString() } };
  }

  // ---- the step machinery ----

  private context(i: InstanceRecord, xml: string, patch?: JsonObject) {
    return {
      instanceId: i.id,
      definition: { id: `${i.definedAt}/${i.processKey}/${i.version}`, xml },
      params: i.params,
      state: i.engineState,
      ...(patch ? { patch } : {}),
    };
  }

  /** A step nobody asked for (a timer, the engine's progress); a user's step that got there first wins. */
  private async systemStep(id: string, command: Command, action: string) {
    await this.execute(id, command, 'system', { action }).catch((err) => {
      if (!(err instanceof ConflictError) && (err as { status?: number }).status !== 409) throw err;
    });
  }

  private async execute(
    id: string,
    command: Command,
    actor: string,
    opts: { action: string; patch?: JsonObject; retry?: boolean; before?: () => Promise<Partial<StepChange>> },
  ) {
    await this.lock.run(id, async () => {
      const inst = await this.mustGet(id);
      // A self-driven engine's incident does not stop it: what it does meanwhile is still recorded.
      const allowed = opts.retry ? inst.status === 'incident' : inst.status === 'active' || (command.type === 'sync' && inst.status === 'incident');
      if (!allowed) throw conflict(`实例状态为 ${inst.status}，不能执行此操作 (instance is ${inst.status})`);
      const extra = opts.before ? await opts.before() : {};
      const def = await this.store.definitions.get(inst.definedAt, inst.processKey, inst.version);
      if (!def) throw notFound(`实例 ${id} 的流程定义已不存在 (definition missing)`);
      const step = await this.engine.run(this.context(inst, def.xml, opts.patch), command);
      // A sync that found nothing new writes nothing (the sweep looks at idle instances often).
      if (command.type === 'sync' && !changedBy(inst, step)) return;
      await this.commit(inst, inst.revision, step, command, actor, {
        ...extra,
        audit: [this.audit(actor, opts.action, inst, command.type === 'completeTask' ? { elementRef: command.ref } : null)],
      });
    });
  }

  private async commit(prev: InstanceRecord, expectedRevision: number | null, step: Step, command: Command, actor: string, extra: Partial<StepChange>) {
    const now = new Date().toISOString();
    const open = expectedRevision === null ? [] : (await this.store.tasks.list({ instanceId: prev.id, status: 'open', limit: 10_000 })).items;
    const openRefs = new Set(open.map((t) => t.ref));
    // A self-driven engine reports its own incidents (and their history): the step is its state as is.
    const mirrored = this.engine.selfDriven && step.status === 'incident';
    const failed = step.status === 'incident' && !mirrored;
    const waits = failed ? [] : step.waits;
    const waitRefs = new Set(waits.map((w) => w.ref));
    const instance: InstanceRecord = {
      ...prev,
      status: step.status,
      variables: failed ? { ...prev.variables, ...(command.type === 'start' ? {} : 'variables' in command ? command.variables : {}) } : step.variables,
      engineState: failed ? prev.engineState : step.state,
      active: failed ? prev.active : waits.map((w) => ({ elementId: w.elementId, name: w.name, ...(w.kind === 'timer' && { dueAt: w.dueAt }) })),
      incident: failed ? { ...step.incident!, at: now, command: command as unknown as JsonObject }
        : mirrored ? { ...step.incident!, at: prev.incident?.at ?? now, command: { type: 'resolveIncident' } } : null,
      endedAt: step.status === 'completed' || step.status === 'cancelled' ? now : null,
      revision: prev.revision + 1,
    };
    const createTasks: TaskRecord[] = waits
      .filter((w) => w.kind === 'userTask' && !openRefs.has(w.ref))
      .map((w) => {
        const u = w as Extract<typeof w, { kind: 'userTask' }>;
        return {
          id: crypto.randomUUID(), instanceId: prev.id, ref: u.ref, elementId: u.elementId, name: u.name, jurisdiction: prev.jurisdiction,
          processKey: prev.processKey, formKey: u.formKey, candidateGroups: u.candidateGroups, assignee: null, status: 'open',
          data: null, createdAt: now, due: u.due, completedAt: null, completedBy: null, version: 1,
        };
      });
    const completing = extra.completeTask?.id;
    const change: StepChange = {
      instance,
      expectedRevision,
      completeTask: extra.completeTask,
      createTasks,
      cancelTaskRefs: failed ? [] : open.filter((t) => !waitRefs.has(t.ref) && t.id !== completing).map((t) => t.ref),
      history: [
        ...step.events.map((e) => ({
          instanceId: prev.id, elementId: e.elementId, name: e.name, type: e.type, at: e.at,
          by: e.type === 'UserTask' ? actor : command.type === 'correlate' && e.data ? actor : null, data: e.data,
        })),
        ...(failed ? [{ instanceId: prev.id, elementId: step.incident!.elementId, name: step.incident!.elementId, type: 'Incident', at: now, by: null, data: { message: step.incident!.message } }] : []),
      ],
      // While an incident is open nothing moves; a retry recomputes timers and subscriptions.
      timers: waits.flatMap((w) => (w.kind === 'timer' ? [{ instanceId: prev.id, ref: w.ref, elementId: w.elementId, dueAt: w.dueAt }] : [])),
      subscriptions: waits.flatMap((w) =>
        w.kind === 'message' ? [{ instanceId: prev.id, ref: w.ref, elementId: w.elementId, messageName: w.messageName, correlationKey: w.correlationKey }] : [],
      ),
      consumeMessageIds: extra.consumeMessageIds ?? [],
      results: step.effects.map((e) => ({
        id: crypto.randomUUID(), jurisdiction: prev.jurisdiction, instanceId: prev.id, title: e.title, content: e.content, publishedAt: now,
      })),
      audit: extra.audit ?? [],
    };
    await this.store.instances.applyStep(change).catch(this.conflictAsHttp);
    if (change.subscriptions.length) void this.deliverBuffered(prev.id, change.subscriptions);
  }

  /** A buffered message whose subscription has just opened is correlated now (Zeebe semantics). */
  private async deliverBuffered(instanceId: string, subs: { ref: string; messageName: string; correlationKey: string }[]) {
    const messages = await this.store.messages.matching(subs, new Date().toISOString());
    const m = messages[0];
    if (!m) return;
    const sub = subs.find((s) => s.messageName === m.name && s.correlationKey === m.correlationKey)!;
    await this.execute(instanceId, { type: 'correlate', ref: sub.ref, variables: m.variables }, 'system', {
      action: 'message.correlate',
      before: async () => ({ consumeMessageIds: [m.id] }),
    }).catch(() => undefined);
  }

  private audit(actor: string, action: string, i: InstanceRecord, detail: JsonObject | null): AuditEntry {
    return {
      at: new Date().toISOString(), actor, action, jurisdiction: i.jurisdiction, targetType: 'instance', targetId: i.id, instanceId: i.id,
      beforeVersion: i.revision, afterVersion: i.revision + 1, detail,
    };
  }

  private conflictAsHttp = (err: unknown): never => {
    if (err instanceof ConflictError) throw conflict(err.message);
    throw err;
  };

  private async mustGet(id: string) {
    const i = await this.store.instances.get(id);
    if (!i) throw notFound(`流程实例 ${id} 不存在 (no such instance)`);
    return i;
  }

  private async mustGetTask(id: string) {
    const t = await this.store.tasks.get(id);
    if (!t) throw notFound(`任务 ${id} 不存在 (no such task)`);
    return t;
  }

  /** Claiming and completing need one of the task's candidate groups (or being its assignee). */
  private mayWork(user: SessionUser, t: TaskRecord) {
    const groups = t.candidateGroups.length ? t.candidateGroups : ['staff'];
    this.access.require(user, t.jurisdiction, groups);
    // Someone else's claim is a state of the task, not a lack of permission: it may be unclaimed.
    if (t.assignee && t.assignee !== user.username && !this.access.has(user, t.jurisdiction, ['official', 'admin'])) {
      throw conflict(`任务已由 ${t.assignee} 认领 (assigned to someone else)`);
    }
  }

}
