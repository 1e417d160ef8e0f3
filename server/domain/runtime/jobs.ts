// External job workers through Camunda 8's REST job API, on the embedded engine. A job is a wait
// of its instance (the engine's JobWait, kept in the store's jobs); activation takes jobs in the
// worker's jurisdictions with a conditional update, and the answers move the instance as Zeebe's
// JobComplete / JobFail / JobThrowError / JobTimeOut processors do:
// - complete: the worker's variables are the task's result (output mappings apply);
// - fail: retries and a back-off (not activatable before it passes); at 0 retries an incident at
//   the job's element (the rest of the instance goes on), retried from the instance
//   (POST /api/instances/:id/retry sets the retries again);
// - error: the nearest catch of the code takes over, an uncaught one is an incident there;
// - an activated job past its deadline is activatable again with the retries it had.
import { DomainError, badRequest, forbidden } from '../../errors.js';
import { isPlainObject, type JsonObject } from '../../json.js';
import type { AuditEntry, JobChange, JobRecord, Store } from '../../store/index.js';
import { camundaKey } from './camunda-keys.js';
import type { Steps } from './steps.js';

/** Who answers jobs: a service account (role `worker`) or a token, with the jurisdictions it serves. */
export interface WorkerPrincipal {
  name: string;
  jurisdictions: string[];
}

/** Zeebe's gateway answers a long poll with requestTimeout 0 after its default, 10 s. */
const DEFAULT_LONG_POLL_MS = 10_000;
/** The longest poll we hold (the HTTP server's request timeout is 60 s). */
const MAX_LONG_POLL_MS = 55_000;
/** How often a waiting poll looks again, for jobs that became activatable by time (back-off, time-out) or on another server. */
const RECHECK_MS = 250;
const MAX_JOBS = 1000;

/** What a retry of a job incident replays: the job made activatable again. */
export interface RetryJob {
  type: 'retryJob';
  key: string;
}

const isRetryJob = (c: unknown): c is RetryJob => isPlainObject(c) && c.type === 'retryJob' && typeof c.key === 'string';

// Camunda's REST API answers with these titles (Zeebe's rejection types).
const invalidArgument = (detail: string, path: string) => new DomainError(400, 'INVALID_ARGUMENT', detail, [{ path, message: detail }]);
const noSuchJob = (intent: string, key: string) =>
  new DomainError(404, 'NOT_FOUND', `作业 ${key} 不存在 (Expected to ${intent} job with key '${key}', but no such job was found)`);
const invalidState = (intent: string, key: string, state: string) =>
  new DomainError(409, 'INVALID_STATE', `作业 ${key} 当前状态为 ${state}，不能${INTENTS[intent]} (Expected to ${intent} job with key '${key}', but it is in state '${state}')`);
const INTENTS: Record<string, string> = { complete: '完成', fail: '标记失败', 'throw an error for': '抛出错误', update: '修改' };

/** Zeebe's state names for a job as a worker would see it at `now`. */
export function effectiveState(job: JobRecord, now: string): string {
  if (job.state === 'activated' && job.deadline! <= now) return 'ACTIVATABLE';
  if (job.state === 'failed') return job.retries > 0 && job.retryAt! <= now ? 'ACTIVATABLE' : 'FAILED';
  return { activatable: 'ACTIVATABLE', activated: 'ACTIVATED', errorThrown: 'ERROR_THROWN' }[job.state];
}

function integer(value: unknown, path: string, { min, fallback }: { min: number; fallback?: number }): number {
  if (value === undefined || value === null) {
    if (fallback === undefined) throw invalidArgument(`缺少 ${path} (${path} is required)`, `/${path}`);
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw invalidArgument(`${path} 应为不小于 ${min} 的整数 (${path} must be an integer ≥ ${min})`, `/${path}`);
  return value;
}

function text(value: unknown, path: string, fallback?: string): string {
  if (value === undefined || value === null) {
    if (fallback === undefined) throw invalidArgument(`缺少 ${path} (${path} is required)`, `/${path}`);
    return fallback;
  }
  if (typeof value !== 'string' || (fallback === undefined && !value.trim())) throw invalidArgument(`${path} 应为非空字符串 (${path} must be a string)`, `/${path}`);
  return value;
}

function variables(value: unknown): JsonObject {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw invalidArgument('variables 应为对象 (variables must be an object)', '/variables');
  return value;
}

/** Wakes the long polls waiting for a job type (jobs committed, failed without back-off, retried). */
export class JobSignals {
  private readonly waiting = new Map<string, Set<() => void>>();

  notify(type: string) {
    const set = this.waiting.get(type);
    if (!set) return;
    this.waiting.delete(type);
    for (const wake of set) wake();
  }

  /** Resolves on a notify for the type or after `ms`, whichever comes first. */
  wait(type: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiting.get(type);
      if (!set) this.waiting.set(type, (set = new Set()));
      const wake = () => {
        clearTimeout(timer);
        set!.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });
  }
}

/**
 * What an activation that took jobs records (a poll that takes none writes nothing): one entry
 * per jurisdiction among the jobs, with the request and each job's instance and Camunda key.
 */
function activationAudit(principal: WorkerPrincipal, request: JsonObject, jobs: JobRecord[]): AuditEntry[] {
  const at = new Date().toISOString();
  const byJurisdiction = new Map<string, JsonObject[]>();
  for (const job of jobs) {
    const list = byJurisdiction.get(job.jurisdiction) ?? [];
    list.push({ jobKey: job.key, instanceId: job.instanceId, processInstanceKey: camundaKey(job.instanceId), elementId: job.elementId });
    byJurisdiction.set(job.jurisdiction, list);
  }
  return [...byJurisdiction].map(([jurisdiction, list]) => ({
    at, actor: principal.name, action: 'job.activate', jurisdiction, targetType: 'jobType', targetId: String(request.type),
    instanceId: list.length === 1 ? (list[0]!.instanceId as string) : null, detail: { ...request, jobs: list },
  }));
}

export class Jobs {
  constructor(
    private readonly store: Store,
    private readonly steps: Steps,
    private readonly signals: JobSignals,
  ) {
    steps.onCommitted(async (_instance, step) => {
      for (const w of step.waits) if (w.kind === 'job') signals.notify(w.type);
    });
  }

  /**
   * POST /jobs/activation: answers as soon as jobs are there, else after the request timeout with
   * none. A worker that hung up (`gone`) takes nothing more: its jobs would only wait for their time-out.
   */
  async activate(principal: WorkerPrincipal, body: JsonObject, gone: () => boolean = () => false) {
    const type = text(body.type, 'type');
    const worker = text(body.worker, 'worker', 'default');
    const timeout = integer(body.timeout, 'timeout', { min: 1 });
    const max = Math.min(integer(body.maxJobsToActivate, 'maxJobsToActivate', { min: 1 }), MAX_JOBS);
    const requestTimeout = integer(body.requestTimeout, 'requestTimeout', { min: -1, fallback: 0 });
    const fetch = body.fetchVariable;
    if (fetch !== undefined && fetch !== null && !(Array.isArray(fetch) && fetch.every((v) => typeof v === 'string'))) {
      throw invalidArgument('fetchVariable 应为字符串列表 (fetchVariable must be a list of names)', '/fetchVariable');
    }
    const tenants = body.tenantIds;
    if (Array.isArray(tenants) && tenants.some((t) => t !== '<default>')) {
      throw invalidArgument('议事只有默认租户 <default> (only the default tenant exists)', '/tenantIds');
    }
    const pollMs = requestTimeout < 0 ? 0 : Math.min(requestTimeout || DEFAULT_LONG_POLL_MS, MAX_LONG_POLL_MS);
    const until = Date.now() + pollMs;
    for (;;) {
      const now = Date.now();
      if (gone()) return { jobs: [] };
      const jobs = await this.store.jobs.activate(
        { type, jurisdictions: principal.jurisdictions, worker, max, now: new Date(now).toISOString(), deadline: new Date(now + timeout).toISOString() },
        (taken) => activationAudit(principal, { type, worker, timeout }, taken),
      );
      if (jobs.length || now >= until) return { jobs: await this.present(jobs, fetch as string[] | undefined) };
      await this.signals.wait(type, Math.min(until - now, RECHECK_MS));
    }
  }

  /** Jobs as Camunda's ActivatedJob; each instance is read once for the batch. */
  private async present(jobs: JobRecord[], fetch: string[] | undefined) {
    const ids = [...new Set(jobs.map((j) => j.instanceId))];
    const instances = new Map(await Promise.all(ids.map(async (id) => [id, await this.store.instances.get(id)] as const)));
    return jobs.map((job) => {
      const instance = instances.get(job.instanceId);
      const all: JsonObject = { ...(instance?.variables ?? {}), ...(job.locals ?? {}) };
      const picked = fetch?.length ? Object.fromEntries(fetch.filter((n) => n in all).map((n) => [n, all[n]])) : all;
      return {
        jobKey: Number(job.key),
        type: job.type,
        processDefinitionId: job.processKey,
        processDefinitionVersion: job.version,
        processDefinitionKey: camundaKey(`${instance?.definedAt ?? job.jurisdiction}/${job.processKey}/${job.version}`),
        processInstanceKey: camundaKey(job.instanceId),
        elementId: job.elementId,
        elementInstanceKey: Number(job.key),
        customHeaders: job.headers,
        worker: job.worker,
        retries: job.retries,
        deadline: Date.parse(job.deadline!),
        variables: picked,
        tenantId: '<default>',
      };
    });
  }

  /** The job, if the principal may answer it (403 for another jurisdiction's). */
  private async find(principal: WorkerPrincipal, key: string, intent: string): Promise<JobRecord> {
    const job = await this.store.jobs.get(key);
    if (!job) throw noSuchJob(intent, key);
    if (!principal.jurisdictions.includes(job.jurisdiction)) {
      throw forbidden(`作业 ${key} 属于 ${job.jurisdiction}，不在此作业程序的辖区内 (the job belongs to another jurisdiction)`);
    }
    return job;
  }

  /** Under the instance's lock: the job is still there and open (activatable or activated). */
  private async requireOpen(key: string, intent: string) {
    const job = await this.store.jobs.get(key);
    if (!job) throw noSuchJob(intent, key);
    const state = effectiveState(job, new Date().toISOString());
    if (state !== 'ACTIVATABLE' && state !== 'ACTIVATED') throw invalidState(intent, key, state);
  }

  private detail(job: JobRecord, principal: WorkerPrincipal, extra: JsonObject = {}): JsonObject {
    return { jobKey: job.key, type: job.type, elementId: job.elementId, worker: principal.name, ...extra };
  }

  async complete(principal: WorkerPrincipal, key: string, body: JsonObject) {
    const job = await this.find(principal, key, 'complete');
    const vars = variables(body.variables);
    await this.steps.execute(job.instanceId, { type: 'completeJob', ref: job.ref, variables: vars }, principal.name, {
      action: 'job.complete',
      detail: this.detail(job, principal),
      before: async () => {
        await this.requireOpen(key, 'complete');
        return {};
      },
    });
  }

  async fail(principal: WorkerPrincipal, key: string, body: JsonObject) {
    const job = await this.find(principal, key, 'fail');
    const retries = integer(body.retries, 'retries', { min: 0, fallback: 0 });
    const backOff = integer(body.retryBackOff, 'retryBackOff', { min: 0, fallback: 0 });
    const errorMessage = text(body.errorMessage, 'errorMessage', '');
    const vars = variables(body.variables);
    const now = new Date();
    const detail = this.detail(job, principal, { retries, retryBackOff: backOff, errorMessage });
    if (retries <= 0) {
      // Zeebe raises an incident on the job's element: it stops there until retried, the rest goes on.
      const change: JobChange = { key, from: 'open', now: now.toISOString(), set: { state: 'failed', retries: 0, errorMessage } };
      // (Its variables are not kept: the element stays as it was when the job failed.)
      await this.steps.execute(job.instanceId, { type: 'jobIncident', ref: job.ref, key, message: noRetriesLeft(errorMessage) }, principal.name, {
        action: 'job.fail', detail,
        before: async () => {
          await this.requireOpen(key, 'fail');
          return { jobChange: change };
        },
      });
      return;
    }
    const change: JobChange = {
      key, from: 'open', now: now.toISOString(),
      set: { state: 'failed', retries, errorMessage, retryAt: new Date(now.getTime() + backOff).toISOString() },
    };
    if (Object.keys(vars).length) {
      // The variables go to the job's element instance (Zeebe: local), in the step that fails the job.
      await this.steps.execute(job.instanceId, { type: 'setJobVariables', ref: job.ref, variables: vars }, principal.name, {
        action: 'job.fail', detail,
        before: async () => {
          await this.requireOpen(key, 'fail');
          return { jobChange: change };
        },
      });
    } else {
      if (!(await this.store.jobs.change(change))) {
        // Says why: gone (404) or in another state (409); open again by now, it changed meanwhile.
        await this.requireOpen(key, 'fail');
        throw invalidState('fail', key, 'CHANGED');
      }
      await this.store.audit.append({
        at: now.toISOString(), actor: principal.name, action: 'job.fail', jurisdiction: job.jurisdiction,
        targetType: 'instance', targetId: job.instanceId, instanceId: job.instanceId, detail,
      });
    }
    if (backOff === 0) this.signals.notify(job.type);
    else setTimeout(() => this.signals.notify(job.type), backOff).unref();
  }

  /** PATCH /jobs/:jobKey: new retries (≥ 1) and/or a new timeout from now (only while activated), as Zeebe's JobUpdate. */
  async update(principal: WorkerPrincipal, key: string, body: JsonObject) {
    const job = await this.find(principal, key, 'update');
    const changeset = isPlainObject(body.changeset) ? body.changeset : body;
    const retries = changeset.retries === undefined || changeset.retries === null ? undefined : integer(changeset.retries, 'retries', { min: 1 });
    const timeout = changeset.timeout === undefined || changeset.timeout === null ? undefined : integer(changeset.timeout, 'timeout', { min: 1 });
    if (retries === undefined && timeout === undefined) throw invalidArgument('请给出 retries 或 timeout (retries or timeout is required)', '/changeset');
    const now = Date.now();
    const set = { ...(retries !== undefined && { retries }), ...(timeout !== undefined && { deadline: new Date(now + timeout).toISOString() }) };
    if (!(await this.store.jobs.update(key, new Date(now).toISOString(), set))) {
      throw invalidState('update', key, effectiveState((await this.store.jobs.get(key)) ?? job, new Date(now).toISOString()));
    }
    await this.store.audit.append({
      at: new Date(now).toISOString(), actor: principal.name, action: 'job.update', jurisdiction: job.jurisdiction,
      targetType: 'instance', targetId: job.instanceId, instanceId: job.instanceId, detail: this.detail(job, principal, { ...(retries !== undefined && { retries }), ...(timeout !== undefined && { timeout }) }),
    });
  }

  async throwError(principal: WorkerPrincipal, key: string, body: JsonObject) {
    const job = await this.find(principal, key, 'throw an error for');
    const errorCode = text(body.errorCode, 'errorCode');
    const errorMessage = text(body.errorMessage, 'errorMessage', '');
    const vars = variables(body.variables);
    const now = new Date().toISOString();
    await this.steps.execute(job.instanceId, { type: 'throwJobError', ref: job.ref, key, errorCode, errorMessage, variables: vars }, principal.name, {
      action: 'job.error',
      detail: this.detail(job, principal, { errorCode, errorMessage }),
      before: async () => {
        await this.requireOpen(key, 'throw an error for');
        return {};
      },
      // Uncaught: the job waits as errorThrown, and a retry makes it activatable again (as Operate's does).
      onIncident: { ref: job.ref, change: { jobChange: { key, from: 'open', now, set: { state: 'errorThrown', errorMessage } } } },
    });
  }
}

/** What the case page says of a job out of retries; the worker's own message follows in brackets (the page shows Latin detail behind a toggle). */
export function noRetriesLeft(errorMessage: string): string {
  return errorMessage ? `外部服务多次处理失败，已停止重试（${errorMessage}）` : '外部服务多次处理失败，已停止重试';
}

/** A stuck job made activatable again with these retries (Operate sets 1 when none are given). */
export function retryJobChange(key: string, retries: unknown): JobChange {
  if (retries !== undefined && (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 1)) {
    throw badRequest('retries 应为正整数 (retries must be a positive integer)', [{ path: '/retries', message: 'must be a positive integer' }]);
  }
  return { key, from: 'stuck', now: new Date().toISOString(), set: { state: 'activatable', retries: (retries as number | undefined) ?? 1, errorMessage: null, retryAt: null } };
}

/**
 * A retry of a job incident stored before incidents stopped only their element (the instance as a
 * whole waits): the instance runs on as it stands and the job is activatable again. Null for any other incident.
 */
export function jobRetry(incidentCommand: unknown, retries: unknown) {
  if (!isRetryJob(incidentCommand)) return null;
  return { command: { type: 'fireTimers' as const, refs: [] }, change: retryJobChange(incidentCommand.key, retries) };
}
