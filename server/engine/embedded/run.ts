// One command on one instance, with Zeebe 8's semantics: (model, state, command, now) → Step.
// Nothing lives between commands; the state is read, changed as a copy and handed back.
import type { JsonObject } from '../../json.js';
import type { Mapping } from '../../bpmn/read.js';
import { evaluateFeel, FeelError, isFeel, resolveText } from '../../feel/index.js';
import type { AnyCommand, Effect, ServiceHandler, Step, StepEvent, WaitPoint } from '../index.js';
import { BEHAVIOURS } from './behaviours.js';
import type { Flow, Model, Node } from './model.js';
import { Compensations } from './compensation.js';
import { Scopes } from './scopes.js';
import { initialState, isState, ROOT, type ElementInstance, type State, type Subscription } from './state.js';
import { firstDue, nextDue, TimeError } from './time.js';

export class StepError extends Error {
  constructor(
    readonly elementId: string,
    message: string,
  ) {
    super(message);
  }
}

type Incident = NonNullable<ElementInstance['inc']>;

/** A part of the command failed at an element instance (its unit: "ref phase"): the command runs again, stopping there. */
class Stopped extends Error {
  constructor(
    readonly unit: string,
    readonly inc: Incident,
  ) {
    super(inc.m);
  }
}

/** More incidents in one command than any diagram has elements to fail: something loops. */
const MAX_STOPS = 1000;

export interface RunInput {
  model: Model;
  state: unknown;
  params: JsonObject;
  handlers: Record<string, ServiceHandler>;
  /** Evaluates a deployed decision (business rule tasks); throws when it has no result. */
  decide?: (decisionId: string, variables: JsonObject) => Promise<unknown>;
  /** Variables to merge into the process scope before the command (a retry after a correction). */
  patch?: JsonObject;
  now: Date;
}

/** Error and escalation catch events wait for a throw inside their scope, not for a timer or message. */
const thrownTo = (node: Node) => !!node.error || !!node.escalation;

/** A wait a message or signal completes: its correlation key or signal name was resolved when it opened. */
const correlatable = (w: ElementInstance | Subscription | undefined) => w?.key !== undefined || w?.sig !== undefined;

/** Zeebe keeps a variable local when an output element names it; a plain name, that is. */
const PLAIN_NAME = /^=?\s*([A-Za-z_$][\w$]*)\s*$/;

function groups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (typeof value === 'string') return value.split(',').map((g) => g.trim()).filter(Boolean);
  return [];
}

/** Sets "a.b.c" in a document as Zeebe's mapping targets do (nested contexts). */
function setPath(doc: JsonObject, target: string, value: unknown) {
  const parts = target.split('.');
  let at = doc;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    at = at[part] = next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as JsonObject) } : {};
  }
  at[parts[parts.length - 1]!] = value as JsonObject[string];
}

export class Run {
  private readonly events: StepEvent[] = [];
  private readonly effects: Effect[] = [];
  private readonly queue: string[] = [];
  private readonly state: State;
  private readonly nodes: Map<string, Node>;
  private readonly at: string;
  private ended: 'completed' | 'cancelled' | null = null;
  /** The start event a start command named, instead of the none start event. */
  private startEvent: string | null = null;
  private readonly scopes: Scopes;
  private readonly compensations: Compensations;

  constructor(
    private readonly input: RunInput,
    /** The units that failed in earlier tries of this command, and the incident each stops at. */
    private readonly stops: ReadonlyMap<string, Incident> = new Map(),
  ) {
    this.nodes = input.model.nodes;
    this.at = input.now.toISOString();
    this.state = input.state === null ? initialState(input.model.processId, {}) : (JSON.parse(JSON.stringify(input.state)) as State);
    // A task not yet entered has no job yet: nothing it saw to keep.
    this.scopes = new Scopes(this.state, this.nodes, input.params, (id) => this.queue.includes(id));
    this.compensations = new Compensations({
      state: this.state, nodes: this.nodes, activate: (el, scope) => this.activate(el, scope), record: (node) => this.record(node, null), complete: (id) => this.complete(id),
    });
  }

  static async execute(input: RunInput, command: AnyCommand): Promise<Step> {
    if (input.state !== null && !isState(input.state)) {
      return Run.incident(input, new StepError(input.model.processId, '实例状态的格式无法识别，未执行任何操作 (unknown engine state format)'));
    }
    if (command.type === 'cancel') {
      const vars = (input.state as State | null)?.vars[ROOT] ?? {};
      return { status: 'cancelled', variables: vars, waits: [], events: [], effects: [], incident: null, state: null };
    }
    // A failure at an element stops that element only (Zeebe): the command runs again from the same
    // state, stopping there. A run is deterministic, so it gets as far again, and no more is undone.
    const stops = new Map<string, Incident>();
    for (;;) {
      try {
        const run = new Run(input, stops);
        await run.apply(command);
        return run.step();
      } catch (err) {
        if (err instanceof Stopped && stops.size < MAX_STOPS) {
          stops.set(err.unit, err.inc);
          continue;
        }
        // Whatever else went wrong, the instance keeps its state and shows an incident with the command kept for a retry.
        return Run.incident(input, err instanceof StepError ? err : new StepError(input.model.processId, (err as Error).message));
      }
    }
  }

  /** The command failed outside any element: nothing changes, and a retry replays it. */
  private static incident(input: RunInput, err: StepError): Step {
    const vars = isState(input.state) ? input.state.vars[ROOT]! : {};
    return { status: 'incident', variables: vars, waits: [], events: [], effects: [], incident: { elementId: err.elementId, message: err.message }, state: input.state, failed: true };
  }

  // ---- commands ----

  private async apply(command: Exclude<AnyCommand, { type: 'cancel' }>) {
    const { state } = this;
    if (command.type === 'start') {
      state.vars[ROOT] = { ...structuredClone(command.variables), ...(this.input.patch ?? {}) };
      if (command.startAt) this.startEvent = this.startNode(command.startAt);
      this.queue.push(ROOT);
    } else {
      if (this.input.patch) Object.assign(state.vars[ROOT]!, this.input.patch);
      if (command.type === 'completeTask') {
        const inst = this.waiting(command.ref);
        if (!inst || inst.mi || this.node(inst).kind !== 'userTask') throw this.nothingWaits(command.ref);
        this.completing(command.ref, command.variables, Object.keys(command.variables).length ? command.variables : null);
      } else if (command.type === 'completeJob') {
        this.completeJob(this.job(command.ref), command.variables);
      } else if (command.type === 'throwJobError') {
        const ref = this.job(command.ref);
        this.guard(ref, 'j', () => this.throwJobError(ref, command), command.key === undefined ? {} : { k: command.key });
      } else if (command.type === 'setJobVariables') {
        Object.assign(this.scopes.locals(this.job(command.ref)), structuredClone(command.variables));
      } else if (command.type === 'jobIncident') {
        state.items[this.job(command.ref)]!.inc = { m: command.message, ph: 'j', k: command.key };
      } else if (command.type === 'completeCall') {
        const inst = this.waiting(command.ref);
        if (!inst || inst.mi || this.node(inst).kind !== 'callActivity') throw this.nothingWaits(command.ref);
        this.completeCall(command.ref, this.node(inst), command.variables);
      } else if (command.type === 'correlate') {
        if (correlatable(this.waiting(command.ref))) this.completing(command.ref, command.variables, command.variables);
        else if (correlatable(state.subs[command.ref])) this.trigger(command.ref, command.variables);
        else throw this.nothingWaits(command.ref);
      } else if (command.type === 'fireTimers') {
        for (const ref of command.refs) {
          const due = this.waiting(ref)?.due ?? state.subs[ref]?.due;
          if (!due || due > this.at) continue;
          if (state.items[ref]) this.completing(ref, null, null);
          else this.trigger(ref, null);
        }
      } else if (command.type === 'resolveIncident') {
        this.resolve(command.ref);
      } else if (command.type === 'modify') {
        this.modify(command);
      } else {
        throw new StepError(this.input.model.processId, 'the embedded engine moves only by commands: nothing to sync');
      }
    }
    await this.drain();
  }

  /** Zeebe's ModifyProcessInstance: activate elements (creating missing flow scopes), then terminate instances. */
  private modify(command: Extract<AnyCommand, { type: 'modify' }>) {
    const keep = new Set<string>();
    for (const a of command.activate) {
      const node = this.nodes.get(a.elementId);
      if (!node || node.kind === 'process' || node.kind === 'boundary') throw new StepError(a.elementId, `不能激活元素 ${a.elementId} (no such activatable element)`);
      for (const [key, value] of Object.entries(a.variables ?? {})) this.scopes.write(ROOT, key, value);
      const scope = this.scopeFor(node.scope);
      for (let s = scope; s; s = this.state.items[s]!.p) keep.add(s);
      this.activate(node.id, scope);
    }
    for (const ref of command.terminate) {
      const inst = this.state.items[ref];
      if (!inst || ref === ROOT) throw new StepError(this.input.model.processId, `实例中没有元素实例 ${ref} (no such element instance)`);
      this.terminate(ref);
      // Flow scopes left without anything active go too, up to the process instance itself.
      for (let s = inst.p; s && !keep.has(s) && this.state.items[s] && this.isIdle(s); ) {
        const up = this.state.items[s]!.p;
        this.terminate(s);
        if (s === ROOT) this.ended = 'cancelled';
        s = up;
      }
    }
  }

  /** An active instance of the container, or a new one (entered without its start events). */
  private scopeFor(containerId: string): string {
    if (containerId === this.input.model.processId) return ROOT;
    const existing = Object.keys(this.state.items).find((id) => this.state.items[id]!.el === containerId);
    if (existing) return existing;
    const container = this.nodes.get(containerId)!;
    const id = this.create(containerId, this.scopeFor(container.scope));
    this.applyInputs(id, container);
    this.subscribeBoundaries(id, container);
    for (const start of container.eventStarts) this.subscribe(start, id);
    return id;
  }

  /** The element instance of an open job. */
  private job(ref: string): string {
    if (!this.waiting(ref)?.job) throw this.nothingWaits(ref);
    return ref;
  }

  /** An element instance that waits for a command: one stopped by an incident waits only for its resolution. */
  private waiting(ref: string): ElementInstance | undefined {
    const inst = this.state.items[ref];
    return inst?.inc ? undefined : inst;
  }

  /** A command completes a waiting element instance; a failure there is its incident, kept to complete again. */
  private completing(ref: string, result: JsonObject | null, data: JsonObject | null) {
    this.guard(ref, 'c', () => this.complete(ref, result, data), { r: result, d: data });
  }

  /**
   * Zeebe's ResolveIncident: each element instance stopped by an incident (or the one at `ref`)
   * tries again where it failed: entering, completing with what it was given, or (a job's) waiting
   * for a worker again, the domain having given the job retries.
   */
  private resolve(ref: string | undefined) {
    const refs = ref === undefined ? Object.keys(this.state.items).filter((id) => this.state.items[id]!.inc) : [ref];
    for (const id of refs) {
      const inst = this.state.items[id];
      if (!inst?.inc) throw new StepError(this.input.model.processId, `实例中没有处于故障的 ${id} (no incident at ${id})`);
      const inc = inst.inc;
      delete inst.inc;
      if (inc.ph === 'a') this.queue.push(id);
      else if (inc.ph === 'c') {
        const at = this.events.length;
        this.completing(id, inc.r ?? null, inc.d ?? null);
        // The history names the task's ref, so its completion stays with whoever completed it.
        if (this.events[at]?.elementId === inst.el && this.node(inst).kind === 'userTask') this.events[at]!.ref = id;
      }
    }
  }

  /**
   * Runs one element instance's part of the command. A failure there (a FEEL error, a handler's, an
   * uncaught error) stops that element instance in an incident, as Zeebe does, and the rest of the
   * instance goes on: the command is tried again, and this part, reached again, only marks it.
   */
  private guard(id: string, ph: Incident['ph'], part: () => void | Promise<void>, keep: Omit<Incident, 'm' | 'ph'> = {}): void | Promise<void> {
    const unit = `${id} ${ph}`;
    const stop = this.stops.get(unit);
    if (stop) {
      this.state.items[id]!.inc = stop;
      return;
    }
    const fail = (err: unknown): never => {
      if (err instanceof Stopped) throw err;
      throw new Stopped(unit, { m: (err as Error).message, ph, ...keep });
    };
    try {
      const done = part();
      return done instanceof Promise ? done.catch(fail) : undefined;
    } catch (err) {
      fail(err);
    }
  }

  private nothingWaits(ref: string) {
    return new StepError(this.input.model.processId, `实例中没有等待中的 ${ref} (nothing waits as ${ref} in this instance)`);
  }

  private async drain() {
    while (this.queue.length) {
      const id = this.queue.shift()!;
      if (this.state.items[id]) await this.guard(id, 'a', () => this.enter(id));
    }
  }

  private step(): Step {
    const { state } = this;
    const variables = state.vars[ROOT] ?? {};
    if (this.ended) return { status: this.ended, variables, waits: [], events: this.events, effects: this.effects, incident: null, state: null };
    const stopped = Object.values(state.items).find((i) => i.inc);
    const incident = stopped ? { elementId: stopped.el, message: stopped.inc!.m } : null;
    return { status: incident ? 'incident' : 'active', variables, waits: this.waits(), events: this.events, effects: this.effects, incident, state };
  }

  private waits(): WaitPoint[] {
    const waits: WaitPoint[] = [];
    for (const [ref, inst] of Object.entries(this.state.items)) {
      const node = this.node(inst);
      const base = { ref, elementId: node.id, name: node.name };
      if (inst.inc && !(inst.job && inst.inc.ph === 'j')) {
        waits.push({ kind: 'incident', ...base, message: inst.inc.m });
      } else if (node.kind === 'userTask' && !inst.mi) {
        waits.push({
          kind: 'userTask', ...base, formKey: node.meta.formKey ?? node.meta.formId ?? null, candidateGroups: inst.grp ?? groups(node.meta.candidateGroups),
          assignee: inst.asg ?? null,
          due: inst.dd ?? null, variables: this.scopes.taskVariables(ref),
        });
      } else if (inst.job) {
        const incident = inst.inc && { message: inst.inc.m, ...(inst.inc.k !== undefined && { key: inst.inc.k }) };
        waits.push({ kind: 'job', ...base, ...inst.job, headers: node.meta.headers, variables: this.scopes.view(ref, false), ...(incident && { incident }) });
      } else if (node.kind === 'callActivity' && !inst.mi) {
        waits.push({ kind: 'call', ...base, processId: inst.cp ?? node.meta.called!.processId, variables: this.childVariables(ref, node) });
      } else this.pushEventWait(waits, base, inst);
    }
    for (const [ref, sub] of Object.entries(this.state.subs)) {
      const node = this.nodes.get(sub.el)!;
      this.pushEventWait(waits, { ref, elementId: node.id, name: node.name }, sub);
    }
    return waits;
  }

  private pushEventWait(waits: WaitPoint[], base: { ref: string; elementId: string; name: string }, w: ElementInstance | Subscription) {
    if (w.due !== undefined) waits.push({ kind: 'timer', ...base, dueAt: w.due });
    else if (w.sig !== undefined) waits.push({ kind: 'signal', ...base, signalName: w.sig });
    else if (w.key !== undefined) {
      const meta = this.nodes.get(base.elementId)!.meta;
      waits.push({ kind: 'message', ...base, messageName: w.nm ?? meta.messageName!, correlationKey: w.key });
    }
  }

  // ---- element instances ----

  private node(inst: ElementInstance | Subscription): Node {
    return this.nodes.get(inst.el)!;
  }

  private create(el: string, parent: string, extra: Partial<ElementInstance> = {}): string {
    const id = String(++this.state.seq);
    this.state.items[id] = { el, p: parent, ...extra };
    return id;
  }

  /** A token enters the element in the scope: a multi-instance activity gets its body first. */
  activate(el: string, scope: string): string {
    const node = this.nodes.get(el)!;
    const id = this.create(el, scope, node.loop ? { mi: { n: 0, active: 0, done: 0, next: 0 } } : {});
    this.queue.push(id);
    return id;
  }

  private children(scope: string): string[] {
    const out: string[] = [];
    for (const id in this.state.items) if (this.state.items[id]!.p === scope) out.push(id);
    return out;
  }

  private hasJoins(scope: string): boolean {
    const prefix = `${scope}|`;
    for (const key in this.state.joins) if (key.startsWith(prefix)) return true;
    return false;
  }

  private isIdle(scope: string) {
    return !this.children(scope).length && !this.hasJoins(scope);
  }

  feel(expression: string, context: JsonObject, elementId: string): unknown {
    try {
      return evaluateFeel(expression, context);
    } catch (err) {
      if (err instanceof FeelError) throw new StepError(elementId, err.message);
      throw err;
    }
  }

  private text(value: string | undefined, context: JsonObject, elementId: string): string | null {
    try {
      return resolveText(value, context);
    } catch (err) {
      if (err instanceof FeelError) throw new StepError(elementId, err.message);
      throw err;
    }
  }

  /** Mappings evaluate as one FEEL context: a later entry sees the earlier ones; a source without "=" is a string (Zeebe). */
  private mapped(mappings: Mapping[], context: JsonObject, elementId: string): JsonObject {
    const result: JsonObject = {};
    for (const m of mappings) {
      const value = isFeel(m.source) ? this.feel(m.source, context, elementId) : m.source;
      setPath(result, m.target, value);
      setPath(context, m.target, value);
    }
    return result;
  }

  private applyInputs(id: string, node: Node) {
    if (!node.meta.inputs.length) return;
    Object.assign(this.scopes.locals(id), this.mapped(node.meta.inputs, this.scopes.view(id), node.id));
  }

  /**
   * Zeebe 8.5's output rule: with output mappings, the result becomes local and the mappings write
   * from the flow scope (for an inner multi-instance instance too: its body) up to the nearest scope
   * holding each name; without, the result propagates the same way from the element itself.
   */
  private applyOutputs(id: string, node: Node, result: JsonObject | null) {
    const inst = this.state.items[id]!;
    if (node.meta.outputs.length) {
      if (result) Object.assign(this.scopes.locals(id), result);
      this.scopes.mergeDocument(inst.p, this.mapped(node.meta.outputs, this.scopes.view(id), node.id));
    } else if (result) {
      this.scopes.mergeDocument(id, result);
    }
  }

  private record(node: Node, data: JsonObject | null) {
    this.events.push({ elementId: node.id, name: node.name, type: node.type, at: this.at, data });
  }

  // ---- entering ----

  private async enter(id: string) {
    const inst = this.state.items[id]!;
    const node = this.node(inst);
    if (inst.mi) return this.enterBody(id, node);
    this.applyInputs(id, node);
    if (inst.lc === undefined) this.subscribeBoundaries(id, node);
    await BEHAVIOURS[node.kind](this, id, node);
  }

  enterContainer(id: string, node: Node) {
    for (const start of node.eventStarts) {
      if (!thrownTo(this.nodes.get(start)!)) this.subscribe(start, id);
    }
    for (const start of id === ROOT && this.startEvent ? [this.startEvent] : node.starts) this.activate(start, id);
  }

  openUserTask(id: string, node: Node) {
    const inst = this.state.items[id]!;
    const { candidateGroups, assignee, dueDate } = node.meta;
    if (candidateGroups && isFeel(candidateGroups)) inst.grp = groups(this.feel(candidateGroups, this.scopes.view(id), node.id));
    const user = assignee ? this.text(assignee, this.scopes.view(id), node.id) : null;
    if (user) inst.asg = user;
    const due = dueDate ? this.text(dueDate, this.scopes.view(id), node.id) : null;
    if (due) {
      const at = Date.parse(due);
      if (Number.isNaN(at)) throw new StepError(node.id, `截止时间 "${due}" 不是日期时间 (dueDate is not a date-time)`);
      inst.dd = new Date(at).toISOString();
    }
  }

  hasHandler(node: Node): boolean {
    return !!this.input.handlers[node.meta.taskType!];
  }

  /** The task waits for an external worker: its job type and retries are resolved now (Zeebe: at activation). */
  openJob(id: string, node: Node) {
    const view = this.scopes.view(id);
    const type = this.text(node.meta.taskType, view, node.id);
    if (!type) throw new StepError(node.id, `作业类型为空 (job type is empty)`);
    const retries = Number(this.text(node.meta.retries ?? '3', view, node.id));
    if (!Number.isInteger(retries) || retries < 0) throw new StepError(node.id, `重试次数 ${node.meta.retries} 应为非负整数 (retries must be a non-negative integer)`);
    this.state.items[id]!.job = { type, retries };
  }

  /** Zeebe's job completion: the worker's variables are the task's result (output mappings apply). */
  private completeJob(id: string, variables: JsonObject) {
    this.completing(id, variables, Object.keys(variables).length ? variables : null);
  }

  /** Zeebe's JobThrowError: the nearest catch of the code, from the task itself outwards, takes over with the variables. */
  private throwJobError(id: string, command: Extract<AnyCommand, { type: 'throwJobError' }>) {
    const node = this.node(this.state.items[id]!);
    this.record(node, { errorCode: command.errorCode, errorMessage: command.errorMessage });
    if (this.catchError(id, command.errorCode, command.variables)) return;
    throw new StepError(
      node.id,
      `作业抛出的错误「${command.errorCode}」（${command.errorMessage}）没有被任何边界事件或事件子流程捕获 (an error with the code '${command.errorCode}' was thrown but not caught)`,
    );
  }

  async callHandler(id: string, node: Node) {
    const handler = this.input.handlers[node.meta.taskType!]!;
    let out: Awaited<ReturnType<ServiceHandler>>;
    try {
      out = await handler({ variables: this.scopes.view(id, false), params: this.input.params, headers: node.meta.headers, elementId: node.id });
    } catch (err) {
      throw new StepError(node.id, `自动处理失败 (handler "${node.meta.taskType}" failed: ${(err as Error).message})`);
    }
    this.effects.push(...(out.effects ?? []));
    this.complete(id, out.variables ?? {}, out.variables && Object.keys(out.variables).length ? out.variables : null);
  }

  /** Zeebe's calledDecision: the decision's result becomes resultVariable, as a job's completion variables would. */
  async decide(id: string, node: Node) {
    const { decisionId, resultVariable } = node.meta.calledDecision!;
    const view = this.scopes.view(id);
    const decision = this.text(decisionId, view, node.id);
    if (!decision || !this.input.decide) throw new StepError(node.id, `没有可调用的决策 ${decision ?? ''} (no decision to evaluate)`);
    let result: unknown;
    try {
      result = await this.input.decide(decision, view);
    } catch (err) {
      throw new StepError(node.id, `决策 ${decision} 无法求值: ${(err as Error).message}`);
    }
    const variables = { [resultVariable]: result as JsonObject[string] };
    this.complete(id, variables, variables);
  }

  /** Zeebe's script task: the expression's value, in the task's scope, completes it as its result variable. */
  runScript(id: string, node: Node) {
    const { expression, resultVariable } = node.meta.script!;
    const result = { [resultVariable]: this.feel(expression, this.scopes.view(id), node.id) as JsonObject[string] };
    this.complete(id, result, result);
  }

  /** A called process id given by FEEL is evaluated once, when the call activity is entered (Zeebe). */
  resolveCall(id: string, node: Node) {
    const { processId } = node.meta.called!;
    if (isFeel(processId)) this.state.items[id]!.cp = this.text(processId, this.scopes.view(id), node.id) ?? '';
  }

  /** What a call activity's child starts with: all it sees (propagateAllParentVariables), else its input mappings. */
  private childVariables(id: string, node: Node): JsonObject {
    return node.meta.called!.propagateAllParentVariables ? this.scopes.view(id, false) : { ...(this.state.vars[id] ?? {}) };
  }

  /**
   * The child completed: with output mappings its variables are the call's locals the mappings read;
   * without, they propagate unless propagateAllChildVariables is false (Zeebe 8).
   */
  private completeCall(id: string, node: Node, variables: JsonObject) {
    const propagate = node.meta.outputs.length > 0 || node.meta.called!.propagateAllChildVariables;
    this.completing(id, propagate && Object.keys(variables).length ? variables : null, null);
  }

  /** Timer and message catch events, receive tasks: the instance waits with its due time or key. */
  wait(id: string, node: Node) {
    Object.assign(this.state.items[id]!, this.eventWait(node, id));
  }

  subscribe(el: string, on: string) {
    this.state.subs[String(++this.state.seq)] = { el, on, ...this.eventWait(this.nodes.get(el)!, on) };
  }

  private subscribeBoundaries(id: string, node: Node) {
    for (const b of node.boundaries) {
      const boundary = this.nodes.get(b)!;
      if (boundary.timer || boundary.message || boundary.signal) this.subscribe(b, id);
    }
  }

  private eventWait(node: Node, scope: string): Partial<Subscription> {
    if (node.timer) {
      const value = this.text(node.timer.expression, this.scopes.view(scope), node.id);
      try {
        const due = firstDue(node.timer.type, value ?? '', this.input.now);
        return { due: due.dueAt, ...(due.repeat && { rep: due.repeat }) };
      } catch (err) {
        if (err instanceof TimeError) throw new StepError(node.id, err.message);
        throw err;
      }
    }
    if (node.signal) return { sig: this.text(node.meta.signalName, this.scopes.view(scope), node.id) ?? '' };
    if (node.message) {
      const context = this.scopes.view(scope);
      const name = node.meta.messageName;
      return { key: this.correlationKey(node, context), ...(name && isFeel(name) && { nm: this.text(name, context, node.id) ?? '' }) };
    }
    return {};
  }

  /** Zeebe's correlation key: a string, or a number as its integer part; anything else stops the element (an incident). */
  private correlationKey(node: Node, context: JsonObject): string {
    const expression = node.meta.correlationKey ?? '';
    const value = isFeel(expression) ? this.feel(expression, context, node.id) : expression;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(Math.trunc(value));
    const type = value === null || value === undefined ? 'NULL' : typeof value === 'boolean' ? 'BOOLEAN' : Array.isArray(value) ? 'ARRAY' : 'OBJECT';
    throw new StepError(node.id, `等不了消息：用来对应消息的编号${type === 'NULL' ? '缺失' : '不是文本或数字'} (Failed to extract the correlation key for '${expression.replace(/^=\s*/, '')}': The value must be either a string or a number, but was '${type}')`);
  }

  // ---- multi-instance ----

  private collection(bodyId: string, node: Node): unknown[] {
    const value = this.feel(node.loop!.inputCollection, this.scopes.view(bodyId), node.id);
    if (!Array.isArray(value)) {
      throw new StepError(node.id, `办理人名单不是列表，无法逐一办理 (inputCollection ${node.loop!.inputCollection} must be a list, was ${JSON.stringify(value)})`);
    }
    return value;
  }

  private enterBody(id: string, node: Node) {
    const loop = node.loop!;
    const items = this.collection(id, node);
    const inst = this.state.items[id]!;
    inst.mi = { n: items.length, active: 0, done: 0, next: 0 };
    if (loop.outputCollection) this.scopes.locals(id)[loop.outputCollection] = items.map(() => null);
    this.subscribeBoundaries(id, node);
    if (!items.length) return this.leaveBody(id, node);
    if (loop.sequential) this.spawnInner(id, node, items);
    else for (let i = 0; i < items.length; i++) this.spawnInner(id, node, items);
  }

  private spawnInner(bodyId: string, node: Node, items: unknown[]) {
    const loop = node.loop!;
    const mi = this.state.items[bodyId]!.mi!;
    const lc = ++mi.next;
    if (lc > items.length) throw new StepError(node.id, `多实例输入集合只有 ${items.length} 项，取不到第 ${lc} 项 (the input collection changed while iterating)`);
    mi.active++;
    const id = this.create(node.id, bodyId, { lc });
    const locals = this.scopes.locals(id);
    const output = loop.outputElement && PLAIN_NAME.exec(loop.outputElement)?.[1];
    if (output && output !== loop.inputElement && output !== 'loopCounter') locals[output] = null;
    if (loop.inputElement) locals[loop.inputElement] = items[lc - 1] as JsonObject[string];
    locals.loopCounter = lc;
    this.queue.push(id);
  }

  /** An inner instance completed: collect its output, test the completion condition, go on or finish. */
  private innerDone(id: string, node: Node) {
    const loop = node.loop!;
    const inst = this.state.items[id]!;
    const bodyId = inst.p;
    const mi = this.state.items[bodyId]!.mi!;
    if (loop.outputCollection) {
      const list = [...(this.state.vars[bodyId]![loop.outputCollection] as unknown[])];
      list[inst.lc! - 1] = loop.outputElement ? this.feel(loop.outputElement, this.scopes.view(id), node.id) : null;
      this.scopes.write(bodyId, loop.outputCollection, list as JsonObject[string]);
    }
    let done = false;
    if (loop.completionCondition) {
      const context = { ...this.scopes.view(id), numberOfInstances: mi.n, numberOfActiveInstances: mi.active - 1, numberOfCompletedInstances: mi.done + 1 };
      done = this.condition(loop.completionCondition, context, node.id);
    }
    this.remove(id);
    mi.active--;
    mi.done++;
    if (done) {
      for (const child of this.children(bodyId)) this.terminate(child);
      return this.leaveBody(bodyId, node);
    }
    if (loop.sequential && mi.next < mi.n) return this.spawnInner(bodyId, node, this.collection(bodyId, node));
    if (mi.active === 0) this.leaveBody(bodyId, node);
  }

  private leaveBody(bodyId: string, node: Node) {
    const inst = this.state.items[bodyId]!;
    const name = node.loop!.outputCollection;
    if (name) this.scopes.mergeDocument(inst.p, { [name]: this.state.vars[bodyId]![name]! });
    this.compensations.completed(bodyId, node, inst.p, true);
    this.leave(bodyId, node.outgoing);
  }

  // ---- leaving ----

  private condition(expression: string, context: JsonObject, elementId: string): boolean {
    const value = this.feel(expression, context, elementId);
    if (typeof value !== 'boolean') {
      throw new StepError(elementId, `无法判断走向：条件所需的数据缺失或不是“是/否” (condition ${expression} must be boolean, was ${JSON.stringify(value)})`);
    }
    return value;
  }

  private chooseFlows(id: string, node: Node): Flow[] {
    if (node.kind !== 'exclusive' && node.kind !== 'inclusive') return node.outgoing;
    if (node.outgoing.length <= 1 && !node.outgoing[0]?.condition) return node.outgoing;
    const context = this.scopes.view(id);
    const taken: Flow[] = [];
    for (const flow of node.outgoing) {
      if (flow.id === node.defaultFlow || !flow.condition) continue;
      if (this.condition(flow.condition, context, node.id)) {
        taken.push(flow);
        if (node.kind === 'exclusive') break;
      }
    }
    if (!taken.length) {
      const fallback = node.outgoing.find((f) => f.id === node.defaultFlow);
      if (!fallback) throw new StepError(node.id, `没有满足条件的去向，也没有默认去向 (no outgoing flow condition matched and no default flow)`);
      taken.push(fallback);
    }
    return taken;
  }

  /** The element completes: mappings and result, history, then its outgoing flows. */
  complete(id: string, result: JsonObject | null = null, data: JsonObject | null = null) {
    const inst = this.state.items[id]!;
    const node = this.node(inst);
    this.applyOutputs(id, node, result);
    this.record(node, data);
    this.compensations.completed(id, node, inst.p);
    if (inst.lc !== undefined) return this.innerDone(id, node);
    this.leave(id, this.chooseFlows(id, node));
    this.compensations.handlerDone(id);
  }

  /** A compensation throw or end event: waits for the handlers it starts, or goes on when there is nothing to compensate. */
  throwCompensation(id: string, node: Node) {
    if (!this.compensations.trigger(id, node)) this.complete(id);
  }

  private leave(id: string, flows: Flow[]) {
    const scope = this.state.items[id]!.p;
    this.remove(id);
    for (const flow of flows) this.arrive(flow, scope);
    this.settle(scope);
  }

  private arrive(flow: Flow, scope: string) {
    const target = this.nodes.get(flow.target)!;
    if ((target.kind === 'parallel' || target.kind === 'inclusive') && target.incomingFlows.length > 1) {
      const key = `${scope}|${target.id}`;
      const tokens = (this.state.joins[key] ??= {});
      // The join is tried once all flows of the element that left are taken (settle).
      tokens[flow.id] = (tokens[flow.id] ?? 0) + 1;
      return;
    }
    this.activate(target.id, scope);
  }

  /**
   * A parallel join fires when every incoming flow holds a token; an inclusive join (Zeebe 8.6)
   * when every incoming flow either holds one or can no longer get one: nothing active in the
   * scope, nor a token waiting at another join, has a path to it.
   */
  private tryJoin(scope: string, gateway: Node) {
    const key = `${scope}|${gateway.id}`;
    const tokens = this.state.joins[key];
    if (!tokens) return;
    for (const flow of gateway.incomingFlows) {
      if (tokens[flow]) continue;
      if (gateway.kind === 'parallel' || this.reachable(scope, gateway.upstream!.get(flow)!)) return;
    }
    for (const flow of Object.keys(tokens)) if (--tokens[flow]! <= 0) delete tokens[flow];
    if (!Object.keys(tokens).length) delete this.state.joins[key];
    this.activate(gateway.id, scope);
  }

  private reachable(scope: string, upstream: Set<string>): boolean {
    for (const id of this.children(scope)) if (upstream.has(this.state.items[id]!.el)) return true;
    const prefix = `${scope}|`;
    for (const key in this.state.joins) if (key.startsWith(prefix) && upstream.has(key.slice(prefix.length))) return true;
    return false;
  }

  /** After a change in a scope: its joins may now fire; an idle scope completes. */
  private settle(scope: string) {
    const inst = this.state.items[scope];
    if (!inst || inst.mi || inst.inc) return;
    const prefix = `${scope}|`;
    for (const key of Object.keys(this.state.joins)) {
      if (key.startsWith(prefix)) this.tryJoin(scope, this.nodes.get(key.slice(prefix.length))!);
    }
    if (!this.isIdle(scope) || this.queue.includes(scope)) return;
    if (scope === ROOT) {
      this.remove(ROOT);
      this.ended = 'completed';
      return;
    }
    this.guard(scope, 'c', () => this.complete(scope));
  }

  private remove(id: string) {
    const { state } = this;
    delete state.items[id];
    // The process variables outlive the process instance: the final step reports them.
    if (id !== ROOT) delete state.vars[id];
    for (const ref in state.subs) if (state.subs[ref]!.on === id) delete state.subs[ref];
    const prefix = `${id}|`;
    for (const key in state.joins) if (key.startsWith(prefix)) delete state.joins[key];
  }

  /** Ends an element instance and everything inside it, without taking its flows. */
  private terminate(id: string) {
    for (const child of this.children(id)) this.terminate(child);
    this.remove(id);
    this.compensations.dropScope(id);
  }

  terminateScope(id: string) {
    const scope = this.state.items[id]!.p;
    this.record(this.node(this.state.items[id]!), null);
    this.remove(id);
    for (const child of this.children(scope)) this.terminate(child);
    for (const ref in this.state.subs) if (this.state.subs[ref]!.on === scope) delete this.state.subs[ref];
    for (const key of Object.keys(this.state.joins)) if (key.startsWith(`${scope}|`)) delete this.state.joins[key];
    this.settle(scope);
  }

  // ---- events ----

  /** A subscription's timer fired or its message arrived. */
  private trigger(ref: string, variables: JsonObject | null) {
    const sub = this.state.subs[ref]!;
    const event = this.nodes.get(sub.el)!;
    const owner = this.state.items[sub.on]!;
    delete this.state.subs[ref];
    if (event.kind === 'boundary') {
      if (event.interrupting) this.terminate(sub.on);
      else this.rearm(ref, sub);
      this.completeEvent(event, owner.p, variables);
    } else if (event.kind === 'start') {
      if (event.interrupting) this.interrupt(sub.on);
      else this.rearm(ref, sub);
      this.startEventSubProcess(sub.on, event, variables);
    } else {
      // An event-based gateway: the first event wins and closes the others.
      const gateway = this.node(owner);
      this.record(gateway, null);
      this.remove(sub.on);
      this.completeEvent(event, owner.p, variables);
    }
  }

  /** A non-interrupting event stays open: a message or signal subscription as it is, a timer cycle for its next due time. */
  private rearm(ref: string, sub: Subscription) {
    if (correlatable(sub)) {
      this.state.subs[ref] = sub;
      return;
    }
    const next = sub.due !== undefined ? nextDue(sub.due, sub.rep) : null;
    if (next) this.state.subs[String(++this.state.seq)] = { ...sub, due: next.dueAt, ...(next.repeat && { rep: next.repeat }) };
  }

  private completeEvent(event: Node, scope: string, variables: JsonObject | null) {
    this.completing(this.create(event.id, scope), variables, variables);
  }

  /** An interrupting event sub-process ends everything else in its container. */
  private interrupt(container: string) {
    for (const child of this.children(container)) this.terminate(child);
    for (const ref in this.state.subs) if (this.state.subs[ref]!.on === container) delete this.state.subs[ref];
    for (const key of Object.keys(this.state.joins)) if (key.startsWith(`${container}|`)) delete this.state.joins[key];
  }

  private startEventSubProcess(container: string, start: Node, variables: JsonObject | null) {
    const sub = this.nodes.get(start.scope)!;
    const id = this.create(sub.id, container);
    this.applyInputs(id, sub);
    for (const s of sub.eventStarts) if (!thrownTo(this.nodes.get(s)!)) this.subscribe(s, id);
    this.completeEvent(start, id, variables);
  }

  /**
   * The nearest catch, from the element instance `from` outwards: an event sub-process start of each
   * scope, then a boundary event of it (Zeebe's order); none inside a multi-instance body itself.
   */
  private catcher(from: string, matches: (n: Node) => boolean): { scope: string; start?: Node; boundary?: Node } | null {
    for (let scope = from; scope; ) {
      const inst = this.state.items[scope]!;
      const container = this.node(inst);
      const start = inst.mi ? undefined : container.eventStarts.map((s) => this.nodes.get(s)!).find(matches);
      if (start) return { scope, start };
      const boundary = inst.lc === undefined ? container.boundaries.map((b) => this.nodes.get(b)!).find(matches) : undefined;
      if (boundary) return { scope, boundary };
      scope = inst.p;
    }
    return null;
  }

  /** Takes a caught throw: interrupting, it ends its scope's work (event sub-process) or the scope itself (boundary). */
  private takeCatch({ scope, start, boundary }: { scope: string; start?: Node; boundary?: Node }, interrupting: boolean, variables: JsonObject | null = null) {
    if (start) {
      if (interrupting) this.interrupt(scope);
      return this.startEventSubProcess(scope, start, variables);
    }
    const owner = this.state.items[scope]!.p;
    if (interrupting) this.terminate(scope);
    this.completeEvent(boundary!, owner, variables);
  }

  /** An error end event: the nearest event sub-process or boundary event catching its code takes over. */
  throwError(id: string, node: Node) {
    const code = node.error!.code;
    const scope = this.state.items[id]!.p;
    this.record(node, null);
    this.remove(id);
    if (!this.catchError(scope, code, null)) throw new StepError(node.id, `错误 "${code ?? ''}" 没有被任何边界事件或事件子流程捕获 (uncaught BPMN error)`);
  }

  /** Looks for a catch of the code from the element instance outwards; the first one found takes over (an error always interrupts). */
  private catchError(from: string, code: string | null, variables: JsonObject | null): boolean {
    const found = this.catcher(from, (n) => !!n.error && (n.error.code === null || n.error.code === code));
    if (found) this.takeCatch(found, true, variables);
    return !!found;
  }

  /**
   * A signal throw or end event: the broadcast, with the event's local variables (its input
   * mappings, as Zeebe sends them), is the domain's to deliver once the step is committed; the
   * event goes on at once.
   */
  throwSignal(id: string, node: Node) {
    const name = this.text(node.meta.signalName, this.scopes.view(id), node.id);
    if (!name) throw new StepError(node.id, '信号名称为空 (signal name is empty)');
    this.effects.push({ type: 'broadcast-signal', name, variables: structuredClone(this.state.vars[id] ?? {}) });
    this.complete(id);
  }

  /** The start event a start command names (a signal start): one of the process's own. */
  private startNode(elementId: string): string {
    const start = this.nodes.get(elementId);
    if (start?.kind !== 'start' || start.scope !== this.input.model.processId) throw new StepError(elementId, `流程没有开始事件 ${elementId} (no such start event)`);
    return elementId;
  }

  /**
   * An escalation (intermediate or end event): the nearest catch of its code takes it. An interrupting
   * catch ends the thrower with its scope; otherwise, and when nothing catches it, the thrower goes on.
   */
  throwEscalation(id: string, node: Node) {
    const code = this.text(node.escalation!.code ?? undefined, this.scopes.view(id), node.id);
    const found = this.catcher(this.state.items[id]!.p, (n) => !!n.escalation && (n.escalation.code === null || n.escalation.code === code));
    if (found && (found.start ?? found.boundary)!.interrupting) {
      this.record(node, null);
      this.remove(id);
      return this.takeCatch(found, true);
    }
    if (found) this.takeCatch(found, false);
    this.complete(id);
  }
}
