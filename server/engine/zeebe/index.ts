// The Zeebe (Camunda 8) engine through @camunda8/sdk's gRPC client. Zeebe keeps the instances and
// runs gateways, timers, messages and incidents itself; this adapter mirrors what it did from the
// records the Yishi exporter (exporter/) ships, the way Camunda's Operate and Tasklist learn it:
//   - the feed (feed.ts) pulls records and hands each instance's to the runtime through
//     onProgress → sync; mirror.ts applies them to the instance's state, once per record position.
//   - user tasks are job-based (type io.camunda.zeebe:userTask): a task opens when Zeebe creates
//     its job and closes when the job completes or is cancelled (a boundary event, a cancel in
//     Operate). Completing a task completes its job.
//   - internal service handlers (publish-result, set-variables, notify) are job workers; their
//     effects are committed before the job completes, once per job key.
// What the mode shows is written down in docs/zeebe.md. The BPMN files deploy unchanged.
import crypto from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Camunda8 } from '@camunda8/sdk';
import type { JSONDoc } from '@camunda8/sdk/dist/zeebe/lib/interfaces-1.0.js';
import { DomainError, conflict, unavailable } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { compile, inspectWith, type Compiled } from '../../bpmn/read.js';
import type { CallHooks, Command, Effect, Engine, InstanceContext, ServiceHandler, Step, StepEvent } from '../index.js';
import { RecordFeed } from './feed.js';
import { withoutEventStarts } from './event-starts.js';
import { linkedFormsAsKeys } from './linked-forms.js';
import { brokerSignalName, JURISDICTION_VARIABLE, scopedSignals } from './signal-scope.js';
import { applied, apply, calledStart, initialState, moving, readState, taskCompletion, type ZeebeState } from './mirror.js';

/** The SDK logs every reconnect as JSON on stdout; the adapter reports what matters itself. */
const quiet = { debug() {}, info() {}, error() {} };
/** A handler's job is re-sent after this if its effects could not be committed. */
const SERVICE_JOB_TIMEOUT_MS = 60_000;
/** How long no new record must arrive before a command's step is reported. */
const QUIET_MS = 100;
/** What a 503 tells the client to wait before sending a command again while the broker is away. */
const RETRY_AFTER_S = 5;
const UNREACHABLE = '流程引擎暂时无法连接，本次操作未确认，请稍后重试 (the workflow engine is unreachable; try again)';

/** Effects a handler produced, waiting to be committed with the instance's next step. */
interface PendingEffects {
  jobKey: string;
  effects: Effect[];
}

export interface ZeebeOptions {
  address: string;
  /** The Yishi exporter's endpoints, one per broker (http://host:9650). */
  exporterUrls: string[];
  /** The exporters' shared token (ZEEBE_EXPORTER_TOKEN), sent with every pull and acknowledgement. */
  exporterToken: string;
  handlers: Record<string, ServiceHandler>;
  /** Longest wait after a command for Zeebe to reach the next task or the end. */
  settleMs?: number;
  log?: (message: string) => void;
}

export class ZeebeEngine implements Engine {
  readonly kind = 'zeebe';
  readonly selfDriven = true;
  private readonly c8: Camunda8;
  private readonly zeebe: ReturnType<Camunda8['getZeebeGrpcApiClient']>;
  private feed: RecordFeed | null = null;
  private readonly effects = new Map<string, PendingEffects[]>();
  /** Jobs whose effects a committed state holds: the worker may complete them. */
  private readonly committedJobs = new Set<string>();
  /** Instances whose last step ended them: their records are dropped once committed. */
  private readonly ended = new Set<string>();
  private readonly deployed = new Map<string, Promise<{ processId: string; version: number; processDefinitionKey: string }>>();
  private readonly compiledCache = new Map<string, Promise<Compiled>>();
  private readonly deployedDecisions = new Map<string, Promise<void>>();
  private progress: (instanceId: string) => Promise<void> = async () => {};
  private calls: CallHooks | null = null;

  constructor(private readonly options: ZeebeOptions) {
    this.c8 = new Camunda8({
      ZEEBE_GRPC_ADDRESS: options.address.replace(/^\w+:\/\//, ''),
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      CAMUNDA_SECURE_CONNECTION: false,
      CAMUNDA_OAUTH_DISABLED: true,
      CAMUNDA_LOG_LEVEL: 'error',
      // The SDK reads these nested only. Its default retries a command forever while the broker is
      // away, which would hold the request (and the instance's lock) as long: two short retries,
      // then the caller hears 503 and sends it again.
      zeebeGrpcSettings: { ZEEBE_GRPC_CLIENT_MAX_RETRIES: 2, ZEEBE_GRPC_CLIENT_MAX_RETRY_TIMEOUT_SECONDS: 2, ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
    } as any);
    this.zeebe = this.c8.getZeebeGrpcApiClient();
    for (const type of Object.keys(options.handlers)) {
      this.zeebe.createWorker({ taskType: type, timeout: SERVICE_JOB_TIMEOUT_MS, loglevel: 'NONE', stdout: quiet, taskHandler: (job: any) => this.onServiceJob(type, job) });
    }
  }

  onProgress(listener: (instanceId: string) => Promise<void>) {
    this.progress = listener;
    this.records();
  }

  onCalls(hooks: CallHooks) {
    this.calls = hooks;
  }

  /** Records are pulled from the first command or listener on: none is acknowledged before it can be applied. */
  private records(): RecordFeed {
    this.feed ??= new RecordFeed(this.options.exporterUrls, this.options.exporterToken, (id) => this.deliver(id), this.options.log ?? ((m) => console.warn(m)));
    return this.feed;
  }

  async inspect(xml: string) {
    return inspectWith(await compile(xml));
  }

  async run(ctx: InstanceContext, command: Command): Promise<Step> {
    return this.command(ctx, command).catch((err: unknown) => {
      if (unreachable(err) && !(err instanceof DomainError)) throw unavailable(UNREACHABLE, RETRY_AFTER_S);
      throw err;
    });
  }

  private async command(ctx: InstanceContext, command: Command): Promise<Step> {
    const state = ctx.state === null ? null : readState(ctx.state);
    if (state) this.committed(ctx.instanceId, state);
    switch (command.type) {
      case 'start': {
        await this.deployCalled(ctx);
        const { processId, version } = await this.deploy(ctx);
        await this.deployDecisions(ctx);
        // yishiInstanceId first: the exporter attributes the instance's records from that variable on.
        // The jurisdiction variable only where signals need it: an extra start variable changes the order in
        // which Zeebe copies variables into a called instance, and its copies can then arrive before the exporter knows it.
        const scoped = ctx.jurisdiction && ctx.definition.xml.includes('signalEventDefinition');
        const variables = { yishiInstanceId: ctx.instanceId, ...command.variables, params: ctx.params, ...(scoped && { [JURISDICTION_VARIABLE]: ctx.jurisdiction }) };
        const created = await this.zeebe.createProcessInstance({ bpmnProcessId: processId, version, variables } as any);
        return this.settle(ctx, initialState(String(created.processInstanceKey), command.variables), (s) => s.waits.length > 0 && !moving(s));
      }
      case 'completeTask': {
        if (!state) throw new Error('no Zeebe instance to complete a task of');
        const sent = { ...command.variables, ...(ctx.patch ?? {}) };
        const failure = await this.zeebe.completeJob({ jobKey: command.ref, variables: sent } as any).then(
          () => null,
          (err: Error) => err,
        );
        if (failure && !ended(failure) && !unreachable(failure)) throw failure;
        // Done when Zeebe took the completion and went as far as it goes without us.
        const step = await this.settle(ctx, state, (s) => !s.waits.some((w) => w.ref === command.ref) && !moving(s));
        if (!failure) return step;
        // Without Zeebe's answer the job's completion record tells whose it was: ours only with our data.
        const completion = step.completedTasks?.find((c) => c.ref === command.ref);
        if (completion && isDeepStrictEqual(completion.variables, sent)) return step;
        if (completion) throw conflict('任务已由他人办理 (the task was completed by someone else)');
        // No answer, or "not found" for a completion whose answer was lost: the records tell which.
        // Until they show how the job ended, the outcome is not known yet: 503, not 409.
        const closedOtherwise = !step.waits.some((w) => w.ref === command.ref);
        if (ended(failure) && closedOtherwise) throw conflict('任务已在 Zeebe 中结束 (the task no longer exists in Zeebe)');
        throw unavailable(UNREACHABLE, RETRY_AFTER_S);
      }
      case 'resolveIncident': {
        if (!state) throw new Error('no Zeebe instance to resolve');
        if (ctx.patch) await this.zeebe.setVariables({ elementInstanceKey: state.processInstanceKey, variables: ctx.patch, local: false } as any);
        // The one the case page names (its ref is the incident's key), or all of them.
        const resolving = state.incidents.filter((i) => command.ref === undefined || i.key === command.ref);
        for (const incident of resolving) {
          if (incident.jobKey) await this.zeebe.updateJobRetries({ jobKey: incident.jobKey, retries: 1 } as any);
          await this.zeebe.resolveIncident({ incidentKey: incident.key } as any).catch((err: Error) => ended(err) || Promise.reject(err));
        }
        const open = new Set(resolving.map((i) => i.key));
        return this.settle(ctx, state, (s) => !s.incidents.some((i) => open.has(i.key)) && !moving(s));
      }
      case 'cancel': {
        // A called instance goes with its caller: Zeebe cancels it with the root, not on its own.
        if (state) await this.zeebe.cancelProcessInstance(state.processInstanceKey).catch((err: Error) => ended(err) || calledByParent(err) || Promise.reject(err));
        this.ended.add(ctx.instanceId);
        const variables = state?.variables ?? {};
        return { status: 'cancelled', variables, waits: [], events: [], effects: [], incident: null, state: state && { ...state, status: 'cancelled', waits: [] } };
      }
      case 'sync':
      case 'fireTimers':
        if (!state) throw new Error('no Zeebe instance to sync');
        return this.settle(ctx, state, () => true, 0);
      case 'migrate': {
        if (!state) throw new Error('no Zeebe instance to migrate');
        const target = await this.deploy({ ...ctx, definition: command.to });
        const mappingInstructions = Object.entries(command.mapping).map(([sourceElementId, targetElementId]) => ({ sourceElementId, targetElementId }));
        await this.zeebe.migrateProcessInstance({
          processInstanceKey: state.processInstanceKey,
          migrationPlan: { targetProcessDefinitionKey: target.processDefinitionKey, mappingInstructions },
        });
        // Zeebe keeps each job (same key) on its mapped element.
        const waits = state.waits.map((w) => ({ ...w, elementId: command.mapping[w.elementId] ?? w.elementId }));
        return this.settle({ ...ctx, definition: command.to }, { ...state, waits }, () => true, 0);
      }
      case 'correlate':
        throw new Error('Zeebe correlates messages itself: publish them with publishMessage');
      case 'modify': {
        if (!state) throw new Error('no Zeebe instance to modify');
        const terminateInstructions = command.terminate.map((ref) => {
          const elementInstanceKey = state.elementInstances[ref];
          if (!elementInstanceKey) throw conflict(`实例中没有等待中的 ${ref} (nothing waits as ${ref} in this instance)`);
          return { elementInstanceKey };
        });
        const activateInstructions = command.activate.map((a) => ({
          elementId: a.elementId,
          ancestorElementInstanceKey: '-1',
          // scopeId '' is the process instance's scope, as the port says.
          variableInstructions: a.variables ? [{ scopeId: '', variables: a.variables as JSONDoc }] : [],
        }));
        await this.zeebe.modifyProcessInstance({ processInstanceKey: state.processInstanceKey, activateInstructions, terminateInstructions }).catch((err: Error) => {
          throw ended(err) ? conflict('任务已在 Zeebe 中结束 (the task no longer exists in Zeebe)') : err;
        });
        // Done when the terminated waits are gone and each activated user task has its (new) task.
        const compiled = await this.compiled(ctx);
        const before = new Set(state.waits.map((w) => w.ref));
        const tasks = command.activate.filter((a) => compiled.meta.get(a.elementId)?.type === 'bpmn:UserTask');
        return this.settle(ctx, state, (s) =>
          !s.waits.some((w) => command.terminate.includes(w.ref))
          && tasks.every((a) => s.waits.some((w) => w.elementId === a.elementId && !before.has(w.ref)))
          && !moving(s));
      }
    }
  }

  async publishMessage(m: { name: string; correlationKey: string; variables: JsonObject; ttlMs: number }) {
    const res: any = await this.zeebe.publishMessage({ name: m.name, correlationKey: m.correlationKey, variables: m.variables, timeToLive: m.ttlMs } as any);
    return { messageId: String(res?.key ?? crypto.randomUUID()) };
  }

  /** The gateway answers with a broker, and every exporter this server pulls from answered its last pull. */
  async ping() {
    const topology = await this.zeebe.topology();
    if (!topology.brokers?.length) throw new Error('the gateway knows no broker');
    const down = this.records().unreachable();
    if (down.length) throw new Error(`exporter ${down.join(', ')} unreachable`);
  }

  async broadcastSignal(s: { jurisdiction: string; name: string; variables: JsonObject }) {
    await this.zeebe.broadcastSignal({ signalName: brokerSignalName(s.jurisdiction, s.name), variables: s.variables } as any);
  }

  async close() {
    await this.feed?.close();
    await this.zeebe.close().catch(() => undefined);
  }

  // ---- internals ----

  /** A committed state arrived with a command: what it applied is done. */
  private committed(instanceId: string, state: ZeebeState) {
    this.records().prune(instanceId, (r) => applied(state, r));
    const pending = this.effects.get(instanceId)?.filter((p) => !(state.effectJobs.includes(p.jobKey) && this.committedJobs.add(p.jobKey)));
    if (pending?.length) this.effects.set(instanceId, pending);
    else this.effects.delete(instanceId);
  }

  /**
   * The feed's delivery: the runtime syncs the instance. An instance not in this store is a called
   * process Zeebe started (recorded now, with its parent link), or not ours.
   */
  private async deliver(instanceId: string): Promise<void | 'wait'> {
    const outcome = await this.progress(instanceId).then(
      () => undefined,
      async (err: { status?: number }) => {
        if (err?.status !== 404) throw err;
        const records = this.records().records(instanceId);
        const called = records.map(calledStart).find((c) => c !== null);
        // Zeebe copies a caller's variables into the called instance before the record that starts
        // it, and a pull can end between them: those copies wait for it.
        if (!called && this.calls && records.every((r) => r.record.valueType === 'VARIABLE')) return 'wait' as const;
        if (!called || !this.calls) return void this.ended.add(instanceId);
        const { processInstanceKey, ...link } = called;
        await this.calls.started({ instanceId, ...link, state: initialState(processInstanceKey, {}) });
      },
    );
    if (outcome === 'wait') return outcome;
    if (this.ended.delete(instanceId)) {
      this.feed?.forget(instanceId);
      this.effects.delete(instanceId);
    }
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
  private async deploy(ctx: InstanceContext): Promise<{ processId: string; version: number; processDefinitionKey: string }> {
    let d = this.deployed.get(ctx.definition.id);
    if (!d) {
      d = (async () => {
        const compiled = await this.compiled(ctx);
        // A file may hold several processes: the definition names the one it is (its key).
        const processId = compiled.processes.find((p) => p.key === (ctx.definition.processId ?? p.key))?.key;
        if (!processId) throw new Error(`definition ${ctx.definition.id} has no executable process ${ctx.definition.processId ?? ''}`);
        const xml = linkedFormsAsKeys(scopedSignals(withoutEventStarts(ctx.definition.xml, compiled)));
        const res: any = await this.zeebe.deployResource({ process: Buffer.from(xml), name: `${ctx.definition.id.replace(/\//g, '_')}.bpmn` } as any);
        const deployed = res.deployments.map((x: any) => x.process).find((p: any) => p?.bpmnProcessId === processId);
        return { processId, version: Number(deployed.version), processDefinitionKey: String(deployed.processDefinitionKey) };
      })();
      this.deployed.set(ctx.definition.id, d);
      d.catch(() => this.deployed.delete(ctx.definition.id));
    }
    return d;
  }

  /**
   * Zeebe runs a call activity on the latest version of the called process id: the versions
   * effective where the instance runs are deployed first, with those they call in turn.
   */
  private async deployCalled(ctx: InstanceContext) {
    const { jurisdiction } = ctx;
    if (!jurisdiction || !this.calls) return;
    const seen = new Set([ctx.definition.processId]);
    const queue = [ctx.definition];
    for (let definition = queue.shift(); definition; definition = queue.shift()) {
      const compiled = await this.compiled({ ...ctx, definition });
      for (const m of compiled.meta.values()) {
        const id = m.called?.processId;
        if (!id || id.startsWith('=') || seen.has(id)) continue;
        seen.add(id);
        const called = await this.calls.definition(jurisdiction, id);
        await this.deploy({ ...ctx, definition: called });
        queue.push(called);
      }
    }
  }

  /**
   * The DMN documents the diagram's business rule tasks call, as the instance's jurisdiction sees them,
   * deployed once per version before an instance can reach them. Zeebe evaluates the latest deployed
   * version of a decision id across the cluster: jurisdictions sharing a broker share decision ids.
   */
  private async deployDecisions(ctx: InstanceContext) {
    if (!ctx.decisions) return;
    const compiled = await this.compiled(ctx);
    for (const m of compiled.meta.values()) {
      const id = m.calledDecision?.decisionId;
      if (!id || id.startsWith('=')) continue;
      const resource = await ctx.decisions(id);
      if (!resource) continue;
      let done = this.deployedDecisions.get(resource.id);
      if (!done) {
        done = this.zeebe.deployResource({ decision: Buffer.from(resource.xml), name: `${resource.id.replace(/\//g, '_')}.dmn` } as any).then(() => {});
        this.deployedDecisions.set(resource.id, done);
        done.catch(() => this.deployedDecisions.delete(resource.id));
      }
      await done;
    }
  }

  /**
   * Runs an internal handler; its effects are committed with the instance's next step before the
   * job completes. A job re-sent after a crash finds its key in the committed state: no second effect.
   */
  private async onServiceJob(type: string, job: any) {
    const instanceId = job.variables?.yishiInstanceId as string | undefined;
    const jobKey = String(job.key);
    const { params = {}, yishiInstanceId: _y, [JURISDICTION_VARIABLE]: _j, ...variables } = job.variables ?? {};
    let out: Awaited<ReturnType<ServiceHandler>>;
    try {
      const headers = Object.fromEntries(Object.entries(job.customHeaders ?? {}).map(([k, v]) => [k, String(v)]));
      out = await this.options.handlers[type]({ variables, params, headers, elementId: job.elementId });
    } catch (err) {
      // No retries: Zeebe raises an incident, which the instance here shows; retry restores one.
      return job.fail({ errorMessage: `handler "${type}" failed: ${(err as Error).message}`, retries: 0 });
    }
    if (instanceId && out.effects?.length && !this.committedJobs.has(jobKey)) {
      const list = this.effects.get(instanceId) ?? [];
      if (!list.some((p) => p.jobKey === jobKey)) list.push({ jobKey, effects: out.effects });
      this.effects.set(instanceId, list);
      // The first sync commits the effects, the second sees them in the committed state.
      for (let i = 0; i < 2 && !this.committedJobs.has(jobKey); i++) await this.progress(instanceId).catch(() => undefined);
      if (!this.committedJobs.has(jobKey)) return job.forward(); // not committed: Zeebe re-sends the job after its timeout
    }
    this.committedJobs.delete(jobKey);
    return job.complete(out.variables ?? {});
  }

  /** The state after the records received so far, with the history and effects they bring. */
  private async project(ctx: InstanceContext, base: ZeebeState) {
    const compiled = await this.compiled(ctx);
    const name = (elementId: string) => compiled.meta.get(elementId)?.name || elementId;
    const state: ZeebeState = structuredClone(base);
    const events: StepEvent[] = [];
    const completedTasks: { ref: string; variables: JsonObject }[] = [];
    for (const r of this.records().records(ctx.instanceId)) {
      const completion = applied(state, r) ? null : taskCompletion(r);
      if (completion) completedTasks.push(completion);
      events.push(...apply(state, r, name));
    }
    const pending = (this.effects.get(ctx.instanceId) ?? []).filter((p) => !state.effectJobs.includes(p.jobKey));
    state.effectJobs = [...state.effectJobs, ...pending.map((p) => p.jobKey)];
    return { state, events, completedTasks, effects: pending.flatMap((p) => p.effects) };
  }

  /** Waits (bounded) until the records show that Zeebe got where the command leads, then reports. */
  private async settle(ctx: InstanceContext, base: ZeebeState, arrived: (s: ZeebeState) => boolean, quietMs = QUIET_MS): Promise<Step> {
    const deadline = Date.now() + (this.options.settleMs ?? 3000);
    let seen = -1;
    let quietSince = 0;
    for (;;) {
      const { state, events, completedTasks, effects } = await this.project(ctx, base);
      const count = this.records().records(ctx.instanceId).length;
      if (count !== seen) [seen, quietSince] = [count, Date.now()];
      // Zeebe writes what one command leads to in a burst: the step waits for the burst to end.
      const done = (arrived(state) || state.status !== 'active' || state.incidents.length > 0 || effects.length > 0) && Date.now() - quietSince >= quietMs;
      if (done || Date.now() >= deadline) {
        if (state.status !== 'active') this.ended.add(ctx.instanceId);
        const incident = state.incidents[0];
        return {
          status: state.status === 'active' && incident ? 'incident' : state.status,
          variables: state.variables,
          waits: state.waits,
          events,
          effects,
          incident: incident ? { elementId: incident.elementId, message: incident.message } : null,
          state,
          completedTasks,
        };
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

const ended = (err: unknown) => /NOT_FOUND|not found/i.test(String((err as Error)?.message ?? err));
const calledByParent = (err: unknown) => /created by a parent process instance/i.test(String((err as Error)?.message ?? err));
/** The broker did not answer (down, or the connection dropped): whether the command took effect is unknown. */
const unreachable = (err: unknown) => /^(14|4|1) |UNAVAILABLE|DEADLINE_EXCEEDED|CANCELLED|was closed|Connection dropped|ECONNREFUSED|ECONNRESET/i.test(String((err as Error)?.message ?? err));
