// The Zeebe (Camunda 8) engine through @camunda8/sdk's gRPC client. Zeebe keeps the instances and
// runs gateways, timers and messages itself; this adapter sees what gRPC lets it see:
//   - user tasks are job-based (type io.camunda.zeebe:userTask); a worker holds them activated,
//     and each open job is a task here (ref = job key). Completing a task completes its job.
//   - internal service handlers (publish-result, set-variables, notify) are job workers.
//   - an instance has ended when Zeebe answers NOT_FOUND to a variables update on it (gRPC has
//     no query); the adapter checks after each command and when asked to sync.
// What it cannot see (gateway choices, timer and message events, variables after the last job)
// is written down in docs/zeebe.md. The BPMN files deploy unchanged.
import crypto from 'node:crypto';
import { Camunda8 } from '@camunda8/sdk';
import type { JsonObject } from '../../json.js';
import { compile, inspectWith, type Compiled } from '../../bpmn/read.js';
import type { Command, Effect, Engine, InstanceContext, ServiceHandler, Step, StepEvent, UserTaskWait } from '../index.js';

const USER_TASK = 'io.camunda.zeebe:userTask';
/** The SDK logs every reconnect as JSON on stdout; the adapter reports what matters itself. */
const quiet = { debug() {}, info() {}, error() {} };
/** How long a worker holds a user-task job: long, so a task stays with us; re-sent after that. */
const USER_TASK_TIMEOUT_MS = 24 * 3600_000;

interface ZeebeState {
  processInstanceKey: string;
  /** Open user tasks, as the last step saw them. */
  waits: UserTaskWait[];
  /** Variables as last seen (a job's variables, or those we sent). */
  variables: JsonObject;
}

/** What the workers saw of one instance since its last step. */
interface Observed {
  waits: Map<string, UserTaskWait>;
  events: StepEvent[];
  effects: Effect[];
  variables: JsonObject;
  /** A handler that failed: Zeebe holds an incident there. */
  incident: { elementId: string; message: string } | null;
  /** Job keys this adapter completed; a re-sent activation of them is ignored. */
  done: Set<string>;
}

export interface ZeebeOptions {
  address: string;
  handlers: Record<string, ServiceHandler>;
  /** Longest wait after a command for Zeebe to reach the next task or the end. */
  settleMs?: number;
}

export class ZeebeEngine implements Engine {
  readonly kind = 'zeebe';
  readonly selfDriven = true;
  private readonly c8: Camunda8;
  private readonly zeebe: ReturnType<Camunda8['getZeebeGrpcApiClient']>;
  private readonly observed = new Map<string, Observed>();
  private readonly deployed = new Map<string, Promise<{ processId: string; version: number }>>();
  private readonly compiledCache = new Map<string, Promise<Compiled>>();
  private readonly settling = new Set<string>();
  private progress: (instanceId: string) => void = () => {};

  constructor(private readonly options: ZeebeOptions) {
    this.c8 = new Camunda8({
      ZEEBE_GRPC_ADDRESS: options.address.replace(/^\w+:\/\//, ''),
      ZEEBE_GRPC_CLIENT_MAX_RETRIES: 3,
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_SECURE_CONNECTION: false,
      CAMUNDA_OAUTH_DISABLED: true,
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
      CAMUNDA_LOG_LEVEL: 'error',
    } as any);
    this.zeebe = this.c8.getZeebeGrpcApiClient();
    this.zeebe.createWorker({
      taskType: USER_TASK,
      loglevel: 'NONE',
      stdout: quiet,
      timeout: USER_TASK_TIMEOUT_MS,
      maxJobsToActivate: 64,
      taskHandler: (job: any) => {
        this.onUserTaskJob(job);
        return job.forward(); // held open: completed when the person submits the form
      },
    });
    for (const type of Object.keys(options.handlers)) {
      this.zeebe.createWorker({ taskType: type, timeout: 60_000, loglevel: 'NONE', stdout: quiet, taskHandler: (job: any) => this.onServiceJob(type, job) });
    }
  }

  onProgress(listener: (instanceId: string) => void) {
    this.progress = listener;
  }

  async inspect(xml: string) {
    return inspectWith(await compile(xml), this.options.handlers);
  }

  async run(ctx: InstanceContext, command: Command): Promise<Step> {
    const state = ctx.state as ZeebeState | null;
    this.settling.add(ctx.instanceId);
    try {
      const seen = this.seen(ctx.instanceId);
      if (state) for (const w of state.waits) if (!seen.done.has(w.ref)) seen.waits.set(w.ref, w);
      switch (command.type) {
        case 'start': {
          const { processId, version } = await this.deploy(ctx);
          const variables = { ...command.variables, params: ctx.params, yishiInstanceId: ctx.instanceId };
          const created = await this.zeebe.createProcessInstance({ bpmnProcessId: processId, version, variables } as any);
          const started: ZeebeState = { processInstanceKey: String(created.processInstanceKey), waits: [], variables: command.variables };
          return await this.settle(ctx, started, true);
        }
        case 'completeTask': {
          if (!state) throw new Error('no Zeebe instance to complete a task of');
          await this.zeebe.completeJob({ jobKey: command.ref, variables: { ...command.variables, ...(ctx.patch ?? {}) } } as any);
          const task = seen.waits.get(command.ref);
          if (task) seen.events.push({ elementId: task.elementId, name: task.name, type: 'UserTask', at: new Date().toISOString(), data: command.variables });
          seen.done.add(command.ref);
          seen.waits.delete(command.ref);
          Object.assign(seen.variables, command.variables);
          return await this.settle(ctx, state, true);
        }
        case 'cancel': {
          if (state) await this.zeebe.cancelProcessInstance(state.processInstanceKey).catch((err: Error) => ended(err) || Promise.reject(err));
          this.observed.delete(ctx.instanceId);
          return { status: 'cancelled', variables: state?.variables ?? {}, waits: [], events: [], effects: [], incident: null, state: state && { ...state, waits: [] } };
        }
        case 'sync':
        case 'fireTimers':
          if (!state) throw new Error('no Zeebe instance to sync');
          return await this.settle(ctx, state, false);
        case 'correlate':
          throw new Error('Zeebe correlates messages itself: publish them with publishMessage');
        case 'modify':
          throw new Error('instance modification is not offered through the Zeebe adapter yet');
      }
    } finally {
      this.settling.delete(ctx.instanceId);
    }
  }

  async publishMessage(m: { name: string; correlationKey: string; variables: JsonObject; ttlMs: number }) {
    const res: any = await this.zeebe.publishMessage({ name: m.name, correlationKey: m.correlationKey, variables: m.variables, timeToLive: m.ttlMs } as any);
    return { messageId: String(res?.key ?? crypto.randomUUID()) };
  }

  async close() {
    await this.zeebe.close().catch(() => undefined);
  }

  // ---- internals ----

  private seen(instanceId: string): Observed {
    let o = this.observed.get(instanceId);
    if (!o) this.observed.set(instanceId, (o = { waits: new Map(), events: [], effects: [], variables: {}, incident: null, done: new Set() }));
    return o;
  }

  private compiled(ctx: InstanceContext) {
    let c = this.compiledCache.get(ctx.definition.id);
    if (!c) this.compiledCache.set(ctx.definition.id, (c = compile(ctx.definition.xml)));
    return c;
  }

  /**
   * Deploys a definition version once (Zeebe itself skips an identical resource) and pins it: the
   * same process id is used by several jurisdictions, so "latest" would start someone else's diagram.
   */
  private async deploy(ctx: InstanceContext): Promise<{ processId: string; version: number }> {
    let d = this.deployed.get(ctx.definition.id);
    if (!d) {
      d = (async () => {
        const compiled = await this.compiled(ctx);
        const processId = compiled.processes[0]?.key;
        if (!processId) throw new Error(`definition ${ctx.definition.id} has no executable process`);
        const res: any = await this.zeebe.deployResource({ process: Buffer.from(ctx.definition.xml), name: `${ctx.definition.id.replace(/\//g, '_')}.bpmn` } as any);
        const deployed = res.deployments.map((x: any) => x.process).find((p: any) => p?.bpmnProcessId === processId);
        return { processId, version: Number(deployed.version) };
      })();
      this.deployed.set(ctx.definition.id, d);
      d.catch(() => this.deployed.delete(ctx.definition.id));
    }
    return d;
  }

  private onUserTaskJob(job: any) {
    const instanceId = job.variables?.yishiInstanceId as string | undefined;
    if (!instanceId) return;
    const seen = this.seen(instanceId);
    const ref = String(job.key);
    if (seen.done.has(ref) || seen.waits.has(ref)) return;
    const headers = job.customHeaders ?? {};
    const groups = headers['io.camunda.zeebe:candidateGroups'];
    seen.waits.set(ref, {
      kind: 'userTask', ref, elementId: job.elementId, name: job.elementId,
      formKey: headers['io.camunda.zeebe:formKey'] ?? null,
      candidateGroups: groups ? (JSON.parse(groups) as string[]) : [],
      due: headers['io.camunda.zeebe:dueDate'] ?? null,
    });
    const { params: _p, yishiInstanceId: _y, ...variables } = job.variables;
    Object.assign(seen.variables, variables);
    if (!this.settling.has(instanceId)) this.progress(instanceId);
  }

  private async onServiceJob(type: string, job: any) {
    const instanceId = job.variables?.yishiInstanceId as string | undefined;
    const { params = {}, yishiInstanceId: _y, ...variables } = job.variables ?? {};
    try {
      const headers = Object.fromEntries(Object.entries(job.customHeaders ?? {}).map(([k, v]) => [k, String(v)]));
      const out = await this.options.handlers[type]({ variables, params, headers, elementId: job.elementId });
      if (instanceId) {
        const seen = this.seen(instanceId);
        seen.effects.push(...(out.effects ?? []));
        seen.events.push({ elementId: job.elementId, name: job.elementId, type: 'ServiceTask', at: new Date().toISOString(), data: null });
        Object.assign(seen.variables, variables, out.variables ?? {});
        if (!this.settling.has(instanceId)) this.progress(instanceId);
      }
      return job.complete(out.variables ?? {});
    } catch (err) {
      // No retries: Zeebe raises an incident, and the instance here shows it.
      const message = `handler "${type}" failed: ${(err as Error).message}`;
      if (instanceId) {
        this.seen(instanceId).incident = { elementId: job.elementId, message };
        if (!this.settling.has(instanceId)) this.progress(instanceId);
      }
      return job.fail({ errorMessage: message, retries: 0 });
    }
  }

  /** Zeebe answers NOT_FOUND to a variables update on an instance that has ended. */
  private async hasEnded(processInstanceKey: string): Promise<boolean> {
    try {
      await this.zeebe.setVariables({ elementInstanceKey: processInstanceKey, variables: {}, local: false } as any);
      return false;
    } catch (err) {
      if (ended(err)) return true;
      throw err;
    }
  }

  /** Waits (bounded) until Zeebe reached a new task or the end, then reports what was seen. */
  private async settle(ctx: InstanceContext, state: ZeebeState, expectMove: boolean): Promise<Step> {
    const seen = this.seen(ctx.instanceId);
    const before = new Set(state.waits.map((w) => w.ref));
    const deadline = Date.now() + (expectMove ? (this.options.settleMs ?? 3000) : 0);
    let isEnded = false;
    let probedAt = 0;
    for (;;) {
      const moved = [...seen.waits.keys()].some((ref) => !before.has(ref));
      if (moved || seen.incident) break;
      // New jobs are seen every 25 ms; the broker is asked whether the instance ended at most every 200 ms.
      const probe = !seen.waits.size && Date.now() - probedAt >= 200;
      if (probe && ((probedAt = Date.now()), (isEnded = await this.hasEnded(state.processInstanceKey)))) break;
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const compiled = await this.compiled(ctx);
    const named = (elementId: string) => compiled.meta.get(elementId)?.name || elementId;
    const waits = isEnded ? [] : [...seen.waits.values()].map((w) => ({ ...w, name: named(w.elementId) }));
    const events = seen.events.splice(0).map((e) => ({ ...e, name: named(e.elementId) }));
    const effects = seen.effects.splice(0);
    const variables = { ...state.variables, ...seen.variables };
    if (isEnded) {
      events.push({ elementId: ctx.definition.id, name: '流程结束', type: 'EndEvent', at: new Date().toISOString(), data: null });
      this.observed.delete(ctx.instanceId);
    }
    const incident = seen.incident;
    return {
      status: isEnded ? 'completed' : incident ? 'incident' : 'active',
      variables,
      waits,
      events,
      effects,
      incident,
      state: { processInstanceKey: state.processInstanceKey, waits, variables } satisfies ZeebeState,
    };
  }
}

const ended = (err: unknown) => /NOT_FOUND|not found/i.test(String((err as Error)?.message ?? err));
