// The step machinery: every engine command runs under the instance's lock, and the Step it leads
// to is written in one store transaction with the change that caused it (a task completion, a
// consumed message). A failed step becomes an incident that keeps the command for a retry.
import crypto from 'node:crypto';
import { conflict, notFound } from '../../errors.js';
import type { AnyCommand, Engine, Step, WaitPoint } from '../../engine/index.js';
import { ConflictError, SIGNAL_KEY, type AuditEntry, type InstanceRecord, type JobWrite, type JsonObject, type StepChange, type Store, type TaskRecord } from '../../store/index.js';
import { noticesOf } from '../notifications.js';
import type { Cases } from '../cases.js';
import type { DecisionIndex } from '../decisions.js';
import { localsOf } from './context.js';
import { KeyedLock, type Lock } from './lock.js';
import { conflictAsHttp, findInstance } from './records.js';

export interface StepOptions {
  action: string;
  patch?: JsonObject;
  retry?: boolean;
  /** Runs under the lock before the engine: guards and the store change the step carries (history after the engine's). */
  before?: () => Promise<Partial<StepChange>>;
  /** Form data of the tasks the step opens, by element id (退回: the earlier task reopens with its last submission). */
  prefill?: Record<string, JsonObject>;
  /** The step moves the instance onto another definition version (a migration); it must not fail. */
  moveTo?: Pick<InstanceRecord, 'version' | 'definedAt'>;
  /** What the audit entry says beyond the action. */
  detail?: JsonObject;
  /** When the step leaves this element instance (a job's) in an incident: what else the step writes (the job's new state). */
  onIncident?: { ref: string; change: Partial<StepChange> };
}

/** The incident a wait carries: an element stopped where it failed, or a job out of retries / with its error uncaught. */
function incidentOf(w: WaitPoint): { message: string; job?: string } | null {
  if (w.kind === 'incident') return { message: w.message };
  if (w.kind === 'job' && w.incident) return { message: w.incident.message, ...(w.incident.key !== undefined && { job: w.incident.key }) };
  return null;
}

/**
 * Whether the instance's incident stops all of it: a command that failed as a whole (kept for a
 * retry). An incident at an element (resolved by resolveIncident) stops that element only.
 */
export function stoppedWhole(inst: InstanceRecord): boolean {
  return inst.status === 'incident' && inst.incident?.command?.type !== 'resolveIncident';
}

/** Whether a step differs from what the instance already records. */
function changedBy(inst: InstanceRecord, step: Step): boolean {
  const waits = (list: { elementId: string }[]) => list.map((w) => w.elementId).sort().join();
  return (
    step.status !== inst.status || step.events.length > 0 || step.effects.length > 0 ||
    waits(step.waits) !== waits(inst.active) || JSON.stringify(step.variables) !== JSON.stringify(inst.variables)
  );
}

const XML_CACHE_SIZE = 200;

/** Told of every committed step, under the instance's lock (call activities follow their children). */
export type StepListener = (instance: InstanceRecord, step: Step) => Promise<void>;

export class Steps {
  private readonly definitions = new Map<string, { xml: string; name: string }>();
  private readonly listeners: StepListener[] = [];
  /** Completions a self-driven engine did not confirm (503), by task ref: who sent them, should the engine report them done. */
  private readonly unconfirmed = new Map<string, { by: string; at: string }>();

  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly cases: Cases,
    private readonly decisions: DecisionIndex,
    /** One command per instance at a time: in this process, or across servers (SharedLock) when the engine's commands cannot be taken back. */
    private readonly lock: Lock = new KeyedLock(),
  ) {}

  onCommitted(listener: StepListener) {
    this.listeners.push(listener);
  }

  private async committed(instance: InstanceRecord, step: Step) {
    for (const listener of this.listeners) await listener(instance, step);
  }

  /** Runs a new instance's first command and stores the instance with what it led to. */
  async start(instance: InstanceRecord, xml: string, command: AnyCommand, actor: string, audit: AuditEntry[]) {
    await this.lock.run(instance.id, async () => {
      const step = await this.engine.run(this.context(instance, xml), command);
      await this.committed(await this.commit(instance, null, step, command, actor, {}, { audit }), step);
    });
  }

  /** A step nobody asked for (a timer, the engine's progress); a user's step that got there first wins. */
  async system(id: string, command: AnyCommand, action: string) {
    await this.execute(id, command, 'system', { action }).catch((err) => {
      if (!(err instanceof ConflictError) && (err as { status?: number }).status !== 409) throw err;
    });
  }

  /**
   * A change to an instance's tasks that needs no engine (认领, 转办, 委派) runs under the instance's
   * lock too: it cannot slip between a completion's check and its engine command, which a
   * self-driven engine (Zeebe) cannot take back.
   */
  async guarded<T>(id: string, change: () => Promise<T>): Promise<T> {
    return this.lock.run(id, change);
  }

  /** A command computed under the lock (e.g. from the tasks open then) may be passed as a function. */
  async execute(id: string, commandOrBuild: AnyCommand | (() => Promise<AnyCommand>), actor: string, opts: StepOptions) {
    await this.lock.run(id, async () => {
      const inst = await findInstance(this.store, id);
      // A self-driven engine's incident does not stop it: what it does meanwhile is still recorded.
      const syncing = typeof commandOrBuild !== 'function' && commandOrBuild.type === 'sync';
      const allowed = opts.retry ? inst.status === 'incident' : inst.status === 'active' || (inst.status === 'incident' && (syncing || !stoppedWhole(inst)));
      if (!allowed) throw conflict(`实例状态为 ${inst.status}，不能执行此操作 (instance is ${inst.status})`);
      const extra = opts.before ? await opts.before() : {};
      const command = typeof commandOrBuild === 'function' ? await commandOrBuild() : commandOrBuild;
      const xml = await this.definitionXml(inst);
      const step: Step = await this.engine.run(this.context(inst, xml, opts.patch), command).catch((err: { status?: number }) => {
          if (err?.status === 503 && command.type === 'completeTask') this.unconfirmed.set(command.ref, { by: actor, at: new Date().toISOString() });
          throw err;
        });
      if (command.type === 'completeTask') this.unconfirmed.delete(command.ref);
      const onIncident = opts.onIncident && step.waits.some((w) => w.ref === opts.onIncident!.ref && incidentOf(w)) ? opts.onIncident : undefined;
      // A sync that found nothing new writes nothing (the sweep looks at idle instances often), nor
      // does a firing another server's scheduler already made.
      if ((command.type === 'sync' || command.type === 'fireTimers') && !changedBy(inst, step)) return;
      // A migration that the engine could not carry out leaves the instance as it was.
      if (opts.moveTo && step.status === 'incident') throw conflict(`引擎未能迁移：${step.incident?.message} (engine refused the migration)`);
      const next = await this.commit({ ...inst, ...opts.moveTo }, inst.revision, step, command, actor, opts.prefill ?? {}, {
        ...extra,
        ...onIncident?.change,
        audit: [auditEntry(actor, opts.action, inst, opts.detail ?? (command.type === 'completeTask' ? { elementRef: command.ref } : null))],
      });
      await this.committed(next, step);
    });
  }

  /** What the engine says an instance waits on now, from a command that does nothing; nothing is written. */
  async peek(inst: InstanceRecord): Promise<Step> {
    return this.engine.run(this.context(inst, await this.definitionXml(inst)), { type: 'fireTimers', refs: [] });
  }

  /** A deployed version never changes, so its XML (tens of KB) is read from the store once, not per step. */
  async definitionXml(i: InstanceRecord): Promise<string> {
    return (await this.definition(i)).xml;
  }

  private async definition(i: InstanceRecord): Promise<{ xml: string; name: string }> {
    const key = `${i.definedAt}/${i.processKey}/${i.version}`;
    let def = this.definitions.get(key);
    if (def === undefined) {
      const record = await this.store.definitions.get(i.definedAt, i.processKey, i.version);
      if (!record) throw notFound(`实例 ${i.id} 的流程定义已不存在 (definition missing)`);
      if (this.definitions.size >= XML_CACHE_SIZE) this.definitions.clear();
      this.definitions.set(key, (def = { xml: record.xml, name: record.name }));
    }
    return def;
  }

  /** The case's summary now; a case whose rules give it no title is called by its process's name (the page shows its number beside it). */
  private async summary(i: InstanceRecord, variables: JsonObject) {
    const summary = this.cases.summarize(i.jurisdiction, i.processKey, variables, i.params);
    return summary.title ? summary : { ...summary, title: (await this.definition(i)).name || null };
  }

  private context(i: InstanceRecord, xml: string, patch?: JsonObject) {
    return {
      instanceId: i.id,
      jurisdiction: i.jurisdiction,
      definition: { id: `${i.definedAt}/${i.processKey}/${i.version}`, xml, processId: i.processKey },
      params: i.params,
      decisions: this.decisions.lookup(i.jurisdiction),
      state: i.engineState,
      ...(patch ? { patch } : {}),
    };
  }

  private async commit(
    prev: InstanceRecord, expectedRevision: number | null, step: Step, command: AnyCommand, actor: string,
    prefill: Record<string, JsonObject>, extra: Partial<StepChange>,
  ) {
    const now = new Date().toISOString();
    const open = expectedRevision === null ? [] : (await this.store.tasks.list({ instanceId: prev.id, status: 'open', limit: 10_000 })).items;
    const openRefs = new Set(open.map((t) => t.ref));
    // A command that failed as a whole leaves the instance as it was; an incident at an element stops only that element.
    const failed = step.status === 'incident' && !!step.failed;
    const waits = failed ? [] : step.waits;
    const stopped = new Set(prev.active.flatMap((a) => (a.incident ? [`${a.incident.ref} ${a.incident.message}`] : [])));
    const active = (w: WaitPoint) => {
      const incident = incidentOf(w);
      const at = incident && prev.active.find((a) => a.incident?.ref === w.ref && a.incident.message === incident.message)?.incident!.at;
      return { elementId: w.elementId, name: w.name, ...(w.kind === 'timer' && { dueAt: w.dueAt }), ...(incident && { incident: { ref: w.ref, ...incident, at: at ?? now } }) };
    };
    const waitRefs = new Set(waits.map((w) => w.ref));
    const variables = failed ? { ...prev.variables, ...(command.type === 'start' ? {} : 'variables' in command ? command.variables : {}) } : step.variables;
    const instance: InstanceRecord = {
      ...prev,
      summary: await this.summary(prev, variables),
      status: step.status,
      variables,
      engineState: failed ? prev.engineState : step.state,
      active: failed ? prev.active : waits.map(active),
      incident: failed ? { ...step.incident!, at: now, command: command as unknown as JsonObject }
        : step.status === 'incident' ? { ...step.incident!, at: (prev.incident?.elementId === step.incident!.elementId && prev.incident.at) || now, command: { type: 'resolveIncident' } } : null,
      endedAt: step.status === 'completed' || step.status === 'cancelled' ? now : null,
      revision: prev.revision + 1,
    };
    const createTasks: TaskRecord[] = waits
      .filter((w) => w.kind === 'userTask' && !openRefs.has(w.ref))
      .map((w) => {
        const u = w as Extract<typeof w, { kind: 'userTask' }>;
        return {
          id: crypto.randomUUID(), instanceId: prev.id, ref: u.ref, elementId: u.elementId, name: u.name, jurisdiction: prev.jurisdiction,
          processKey: prev.processKey, formKey: u.formKey, candidateGroups: u.candidateGroups, assignee: u.assignee ?? null, status: 'open',
          data: prefill[u.elementId] ?? null, ...(u.variables && { locals: localsOf(u.variables, instance.variables) }), createdAt: now, due: u.due, completedAt: null, completedBy: null, version: 1,
        };
      });
    // A completion the engine carried out though its answer was lost is recorded as done, with the data it took.
    const lost = !failed && !extra.completeTask ? open.find((t) => step.completedTasks?.some((c) => c.ref === t.ref)) : undefined;
    const attempt = lost && this.unconfirmed.get(lost.ref);
    if (lost) this.unconfirmed.delete(lost.ref);
    const completeTask = lost
      ? { id: lost.id, expectedVersion: lost.version, data: step.completedTasks!.find((c) => c.ref === lost.ref)!.variables, by: attempt?.by ?? lost.assignee ?? actor, at: attempt?.at ?? now }
      : extra.completeTask;
    const completing = completeTask?.id;
    const completers = await this.completers(prev.id, step, completeTask ? { ref: (lost ?? open.find((t) => t.id === completeTask.id))?.ref, by: completeTask.by } : null);
    const change: StepChange = {
      instance,
      expectedRevision,
      completeTask,
      createTasks,
      cancelTaskRefs: failed ? [] : open.filter((t) => !waitRefs.has(t.ref) && t.id !== completing).map((t) => t.ref),
      history: [
        ...step.events.map((e) => ({
          instanceId: prev.id, elementId: e.elementId, name: e.name, type: e.type, at: e.at,
          by: e.type === 'UserTask' ? (e.ref && completers.get(e.ref)) || actor : command.type === 'correlate' && e.data ? actor : null, data: e.data,
        })),
        ...(failed ? [{ instanceId: prev.id, elementId: step.incident!.elementId, name: step.incident!.elementId, type: 'Incident', at: now, by: null, data: { message: step.incident!.message } }] : []),
        ...waits.flatMap((w) => {
          const incident = incidentOf(w);
          return incident && !stopped.has(`${w.ref} ${incident.message}`) ? [{ instanceId: prev.id, elementId: w.elementId, name: w.name, type: 'Incident', at: now, by: null, data: { message: incident.message } }] : [];
        }),
        ...(extra.history ?? []),
      ],
      // While an incident is open nothing moves; a retry recomputes timers and subscriptions.
      timers: waits.flatMap((w) => (w.kind === 'timer' ? [{ instanceId: prev.id, ref: w.ref, elementId: w.elementId, dueAt: w.dueAt }] : [])),
      subscriptions: waits.flatMap((w) =>
        w.kind === 'message' ? [{ instanceId: prev.id, ref: w.ref, elementId: w.elementId, messageName: w.messageName, correlationKey: w.correlationKey }]
        : w.kind === 'signal' ? [{ instanceId: prev.id, ref: w.ref, elementId: w.elementId, messageName: w.signalName, correlationKey: SIGNAL_KEY }] : [],
      ),
      consumeMessageIds: extra.consumeMessageIds ?? [],
      results: step.effects.flatMap((e) => (e.type === 'publish-result' ? [{
        id: crypto.randomUUID(), jurisdiction: prev.jurisdiction, instanceId: prev.id, title: e.title, content: e.content, publishedAt: now,
      }] : [])),
      audit: extra.audit ?? [],
      notifications: failed ? [] : noticesOf(prev, step.variables, now),
      ...(!failed && { jobs: jobsOf(instance, waits, now) }),
      ...(extra.jobChange && { jobChange: extra.jobChange }),
    };
    await this.store.instances.applyStep(change).catch(conflictAsHttp);
    if (change.subscriptions.length) void this.deliverBuffered(prev.id, change.subscriptions);
    return instance;
  }

  /**
   * Who completed the user tasks a step's history names by ref (a self-driven engine may report a
   * completion in a later step than the one that sent it): the completion at hand, else the stored task.
   */
  private async completers(instanceId: string, step: Step, current: { ref?: string; by: string } | null) {
    const byRef = new Map<string, string>(current?.ref ? [[current.ref, current.by]] : []);
    const wanted = new Set(step.events.flatMap((e) => (e.type === 'UserTask' && e.ref && !byRef.has(e.ref) ? [e.ref] : [])));
    if (wanted.size) {
      for (const t of (await this.store.tasks.list({ instanceId, status: 'completed', limit: 10_000 })).items) {
        if (wanted.has(t.ref) && t.completedBy) byRef.set(t.ref, t.completedBy);
      }
    }
    return byRef;
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
}

/** The jobs a step leaves waiting, each with what it sees beyond the process's variables. */
function jobsOf(i: InstanceRecord, waits: WaitPoint[], now: string): JobWrite[] {
  return waits.flatMap((w) =>
    w.kind === 'job'
      ? [{
          instanceId: i.id, ref: w.ref, elementId: w.elementId, jurisdiction: i.jurisdiction, processKey: i.processKey, version: i.version,
          type: w.type, retries: w.retries, headers: w.headers, locals: localsOf(w.variables, i.variables) ?? null, createdAt: now,
        }]
      : [],
  );
}

/** The audit entry of a step: the instance's revision before and after it. */
export function auditEntry(actor: string, action: string, i: InstanceRecord, detail: JsonObject | null): AuditEntry {
  return {
    at: new Date().toISOString(), actor, action, jurisdiction: i.jurisdiction, targetType: 'instance', targetId: i.id, instanceId: i.id,
    beforeVersion: i.revision, afterVersion: i.revision + 1, detail,
  };
}
