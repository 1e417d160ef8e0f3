// Runs a script on the real Zeebe broker with @camunda8/sdk directly (not our adapter, so the
// reference is the broker itself). The broker is shared with other engineers' test runs, whose
// workers take every job of the user-task type and of our handler types; so each case deploys a
// copy of its diagram made private to it: process ids (and the calls to them), message names and
// job types get a suffix, and user tasks become service tasks of the case's own job type. Zeebe
// runs both as the same job element (a job-based user task is a job of type
// io.camunda.zeebe:userTask), so scopes, mappings, boundary events and multi-instance behave alike. Parameters travel as the process variable
// `params`, as in our Zeebe adapter, and are left out of what is observed. Decision ids (in the DMN
// files and the calls to them) get the suffix too; a FEEL decisionId gets it appended.
import { createRequire } from 'node:module';
import BpmnModdle from 'bpmn-moddle';
import { DmnModdle } from 'dmn-moddle';
import { inject } from 'vitest';
import { Camunda8 } from '@camunda8/sdk';
import type { ServiceHandler } from '../../server/engine/index.js';
import type { JsonObject } from '../../server/json.js';
import { choose, type Driver, type EndStatus, type Hint, type OpenTask } from './script.js';

const require = createRequire(import.meta.url);
const moddle = new BpmnModdle({ zeebe: require('zeebe-bpmn-moddle/resources/zeebe.json') });

export type Client = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

/** A gRPC client of the test broker (vitest's provided address), quiet and without authentication. */
export function brokerClient(address: string): Client {
  if (!address) throw new Error(`no Zeebe broker: ${inject('serversProblem')}`);
  return new Camunda8({
    ZEEBE_GRPC_ADDRESS: address.replace(/^\w+:\/\//, ''),
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    CAMUNDA_SECURE_CONNECTION: false,
    CAMUNDA_OAUTH_DISABLED: true,
    ZEEBE_CLIENT_LOG_LEVEL: 'NONE',
    CAMUNDA_LOG_LEVEL: 'error',
  } as any).getZeebeGrpcApiClient();
}
type El = Record<string, any> & { $type: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** No job activated, completed or handled for this long after a command: Zeebe has settled. */
const QUIET_MS = 500;
const END_WAIT_MS = 5000;
/** How long an observation may wait for what the script expects next (a loaded broker is slow). */
const HINT_WAIT_MS = 15_000;

export interface Private {
  xml: string;
  processId: string;
  jobType: string;
  /** Element id → the internal handler type (absent: a user task). */
  handlerOf: Map<string, string>;
  messageName: (name: string) => string;
  /** The case's DMN files, their decision ids suffixed like the calls to them. */
  decisions: string[];
}

/** A DMN document made private to a case: its definitions and decision ids (and requirements) suffixed. */
async function privatiseDecisions(xml: string, suffix: string): Promise<string> {
  const { rootElement } = await new DmnModdle().fromXML(xml, 'dmn:Definitions');
  rootElement.id = `${rootElement.id}-${suffix}`;
  for (const el of rootElement.drgElement as El[]) {
    if (el.$type !== 'dmn:Decision') continue;
    el.id = `${el.id}-${suffix}`;
    for (const r of el.informationRequirement ?? []) if (r.requiredDecision) r.requiredDecision.href = `${r.requiredDecision.href}-${suffix}`;
  }
  return (await new DmnModdle().toXML(rootElement)).xml;
}

/** The case's private copy of a diagram (see the file comment). */
export async function privatise(xml: string, suffix: string, decisions: string[] = []): Promise<Private> {
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  const jobType = `differential-${suffix}`;
  const handlerOf = new Map<string, string>();
  const messageName = (name: string) => `${name}#${suffix}`;
  let processId = '';
  const extension = (el: El, type: string) => el.extensionElements?.values?.find((v: El) => v.$type === type);
  const visit = (container: El) => {
    const elements = container.flowElements as El[];
    elements.forEach((el, i) => {
      if (el.$type === 'bpmn:SubProcess') visit(el);
      const called = el.$type === 'bpmn:CallActivity' && extension(el, 'zeebe:CalledElement');
      if (called?.processId) called.processId = called.processId.startsWith('=') ? `=(${called.processId.slice(1)}) + "-${suffix}"` : `${called.processId}-${suffix}`;
      const decision = el.$type === 'bpmn:BusinessRuleTask' && extension(el, 'zeebe:CalledDecision');
      if (decision?.decisionId) decision.decisionId = decision.decisionId.startsWith('=') ? `=(${decision.decisionId.slice(1)}) + "-${suffix}"` : `${decision.decisionId}-${suffix}`;
      const messageThrow = (el.$type === 'bpmn:IntermediateThrowEvent' || el.$type === 'bpmn:EndEvent') && el.eventDefinitions?.[0]?.$type === 'bpmn:MessageEventDefinition';
      if (el.$type === 'bpmn:ServiceTask' || el.$type === 'bpmn:SendTask' || messageThrow) {
        const def = extension(el, 'zeebe:TaskDefinition');
        handlerOf.set(el.id, def.type);
        def.type = jobType;
      }
      if (el.$type !== 'bpmn:UserTask') return;
      const task = moddle.create('bpmn:ServiceTask', { id: el.id, name: el.name, ...(el.isForCompensation && { isForCompensation: true }) }) as El;
      for (const key of ['incoming', 'outgoing', 'loopCharacteristics', 'documentation', '$parent']) if (el[key]) task[key] = el[key];
      const kept = (el.extensionElements?.values ?? []).filter((v: El) => v.$type === 'zeebe:IoMapping' || v.$type === 'zeebe:TaskHeaders');
      task.extensionElements = moddle.create('bpmn:ExtensionElements', { values: [...kept, moddle.create('zeebe:TaskDefinition', { type: jobType })] });
      elements[i] = task;
      // Flows, boundary events, gateway defaults and associations point at the element object: re-point them.
      for (const other of [...elements, ...((container.artifacts ?? []) as El[])]) {
        for (const key of ['sourceRef', 'targetRef', 'attachedToRef']) if (other[key] === el) other[key] = task;
      }
    });
  };
  for (const root of rootElement.rootElements as El[]) {
    if (root.$type === 'bpmn:Process') {
      // The first process is the one started; others in the document are called by it.
      root.id = `${root.id}-${suffix}`;
      processId ||= root.id;
      visit(root);
    }
    // Signals are broadcast to the whole broker: each case's are its own, as its messages are.
    if (root.$type === 'bpmn:Signal' && root.name) root.name = root.name.startsWith('=') ? `=(${root.name.slice(1)}) + "#${suffix}"` : messageName(root.name);
    if (root.$type === 'bpmn:Message' && root.name) {
      // A FEEL name gets the suffix in FEEL, so what it evaluates to is the private name.
      root.name = root.name.startsWith('=') ? `=(${root.name.slice(1)}) + "#${suffix}"` : messageName(root.name);
    }
  }
  // The layout is not needed to run; dropping it spares re-pointing its shapes.
  rootElement.diagrams = [];
  const out = await moddle.toXML(rootElement);
  return { xml: out.xml, processId, jobType, handlerOf, messageName, decisions: await Promise.all(decisions.map((d) => privatiseDecisions(d, suffix))) };
}

/**
 * Runs one job through a just-started broker: its first deployment, instance and activation take
 * seconds (class loading, JIT) that would otherwise fall on the first cases' timings.
 */
export async function warmUp(zeebe: Client, suffix: string) {
  const processId = `differential-warm-up-${suffix}`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="warm-up" targetNamespace="http://yishi.example/differential">
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="job" />
    <bpmn:serviceTask id="job"><bpmn:extensionElements><zeebe:taskDefinition type="${processId}" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming></bpmn:serviceTask>
  </bpmn:process>
</bpmn:definitions>`;
  await zeebe.deployResource({ process: Buffer.from(xml), name: `${processId}.bpmn` } as any);
  await zeebe.createProcessInstance({ bpmnProcessId: processId, variables: {} } as any);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const jobs: any[] = await zeebe.activateJobs({ type: processId, worker: 'differential', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 5000 } as any);
    if (jobs.length) return zeebe.completeJob({ jobKey: jobs[0].key, variables: {} } as any);
  }
  throw new Error('the Zeebe broker activated no job within 60 s');
}

interface Job {
  key: string;
  elementId: string;
  processInstanceKey: string;
  variables: JsonObject;
  customHeaders: Record<string, unknown>;
}

const notFound = (err: unknown) => /NOT_FOUND|not found/i.test(String((err as Error)?.message ?? err));

export class ZeebeDriver implements Driver {
  private readonly open = new Map<string, Job>();
  private lastMove = Date.now();
  private busy = 0;
  private polling = true;
  private poller: Promise<void> | null = null;
  private instanceKey: string | null = null;
  private ended: { status: EndStatus; variables: JsonObject | null } | null = null;
  private cancelled = false;
  private failure: string | null = null;

  constructor(
    private readonly zeebe: Client,
    private readonly model: Private,
    private readonly params: JsonObject,
    private readonly handlers: Record<string, ServiceHandler>,
  ) {}

  private moved() {
    this.lastMove = Date.now();
  }

  async start(variables: JsonObject) {
    for (const [n, xml] of this.model.decisions.entries()) {
      await this.zeebe.deployResource({ decision: Buffer.from(xml), name: `${this.model.processId}-${n}.dmn` } as any);
    }
    const res: any = await this.zeebe.deployResource({ process: Buffer.from(this.model.xml), name: `${this.model.processId}.bpmn` } as any).catch((err: Error) => {
      if (!/INVALID_ARGUMENT/.test(err.message)) throw err;
      this.ended = { status: 'refused', variables: null };
      throw new Error(`refused at deploy: ${err.message.replace(/\s+/g, ' ')}`);
    });
    const version = Number(res.deployments.map((d: any) => d.process).find((p: any) => p?.bpmnProcessId === this.model.processId).version);
    this.poller = this.poll();
    this.moved();
    this.zeebe
      .createProcessInstanceWithResult({ bpmnProcessId: this.model.processId, version, variables: { ...variables, params: this.params }, requestTimeout: 170_000 } as any)
      .then(
        (r: any) => {
          this.instanceKey ??= String(r.processInstanceKey);
          this.ended = { status: 'completed', variables: r.variables as JsonObject };
        },
        (err: Error) => {
          if (this.cancelled) this.ended = { status: 'cancelled', variables: null };
          else if (!/DEADLINE|timed out|timeout/i.test(err.message)) this.failure = err.message;
        },
      )
      .finally(() => this.moved());
  }

  /** One long-polling activation loop for the case's job type: user tasks are held, handlers run. */
  private async poll() {
    while (this.polling) {
      let jobs: Job[] = [];
      try {
        jobs = (await this.zeebe.activateJobs({ type: this.model.jobType, worker: 'differential', timeout: 600_000, maxJobsToActivate: 32, requestTimeout: 400 } as any)) as any;
      } catch {
        if (this.polling) await sleep(100);
        continue;
      }
      for (const job of jobs) {
        this.instanceKey ??= String(job.processInstanceKey);
        this.moved();
        const type = this.model.handlerOf.get(job.elementId);
        if (!type) this.open.set(String(job.key), job);
        else void this.serve(type, job);
      }
    }
  }

  private async serve(type: string, job: Job) {
    this.busy++;
    try {
      const { params = {}, ...variables } = job.variables;
      const headers = Object.fromEntries(Object.entries(job.customHeaders ?? {}).map(([k, v]) => [k, String(v)]));
      const out = await this.handlers[type]({ variables, params: params as JsonObject, headers, elementId: job.elementId });
      await this.zeebe.completeJob({ jobKey: job.key, variables: out.variables ?? {} } as any);
    } catch (err) {
      await this.zeebe.failJob({ jobKey: job.key, errorMessage: (err as Error).message, retries: 0 } as any).catch(() => undefined);
    } finally {
      this.busy--;
      this.moved();
    }
  }

  /** Until nothing has moved for QUIET_MS (or the instance ended), then drops tasks Zeebe cancelled. */
  private async settle() {
    while (!this.ended && (this.busy || Date.now() - this.lastMove < QUIET_MS)) await sleep(50);
    // Zeebe says nothing when it cancels a job (a boundary event, a terminate end): ask about each.
    await Promise.all(
      [...this.open.keys()].map((key) =>
        this.zeebe.updateJobTimeout({ jobKey: key, timeout: 600_000 } as any).catch((err) => {
          if (notFound(err)) this.open.delete(key);
          else throw err;
        }),
      ),
    );
  }

  async complete(elementId: string, where: JsonObject | undefined, variables: JsonObject) {
    const job = choose([...this.open.values()], (j) => j.elementId, (j) => j.variables, elementId, where);
    this.open.delete(job.key);
    this.moved();
    await this.zeebe.completeJob({ jobKey: job.key, variables } as any);
    this.moved();
  }

  async publish(name: string, key: string, variables: JsonObject) {
    this.moved();
    await this.zeebe.publishMessage({ name: this.model.messageName(name), correlationKey: key, variables, timeToLive: 0 } as any);
    this.moved();
  }

  async signal(name: string, variables: JsonObject) {
    this.moved();
    await this.zeebe.broadcastSignal({ signalName: this.model.messageName(name), variables } as any);
    this.moved();
  }

  async sleep(ms: number) {
    await sleep(ms);
    // A timer due at the end of the sleep gets QUIET_MS more to show its effect.
    this.moved();
  }

  async cancel() {
    if (!this.instanceKey) throw new Error('the instance key is unknown (no job seen yet): cannot cancel');
    this.cancelled = true;
    this.moved();
    await this.zeebe.cancelProcessInstance(this.instanceKey);
    this.ended = { status: 'cancelled', variables: null };
  }

  async observe(hint: Hint): Promise<OpenTask[]> {
    const deadline = Date.now() + HINT_WAIT_MS;
    await this.settle();
    while (!this.failure && !this.ended && hint && !this.meets(hint) && Date.now() < deadline) {
      await sleep(100);
      await this.settle();
    }
    if (this.failure) throw new Error(this.failure);
    if (this.ended) this.open.clear();
    return [...this.open.values()].map((j) => {
      const { params: _p, ...variables } = j.variables;
      return { elementId: j.elementId, variables };
    });
  }

  private meets(hint: NonNullable<Hint>) {
    const open = [...this.open.values()].map((j) => j.elementId);
    if ('tasks' in hint) return JSON.stringify(open.sort()) === JSON.stringify([...hint.tasks].sort());
    if ('element' in hint) return open.includes(hint.element);
    return false;
  }

  async finish(): Promise<{ status: EndStatus; variables: JsonObject | null }> {
    const deadline = Date.now() + END_WAIT_MS;
    while (!this.ended && this.instanceKey && Date.now() < deadline) await sleep(50);
    let end = this.ended;
    if (!end) {
      // Still running (or stuck on an incident, which gRPC cannot see): stop it, leave nothing behind.
      end = { status: 'active', variables: null };
      if (this.instanceKey) {
        this.cancelled = true;
        await this.zeebe.cancelProcessInstance(this.instanceKey).catch(() => undefined);
      }
    }
    this.polling = false;
    await this.poller;
    if (end.variables) {
      const { params: _p, ...variables } = end.variables;
      end = { ...end, variables };
    }
    return end;
  }
}
