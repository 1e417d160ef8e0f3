// Runs a script on the embedded engine through the Engine port, the way the domain runtime does:
// each Step's state goes with the next command, due timers fire by `fireTimers`, messages are
// correlated against the message waits with the same name and correlation key, and a call
// activity's child is an instance of its own (the called process of the same document), whose end
// completes the call and which goes when its call does.
import type { AnyCommand, CallWait, DecisionLookup, Engine, InstanceContext, Step, UserTaskWait } from '../../server/engine/index.js';
import type { JsonObject } from '../../server/json.js';
import { choose, type Driver, type EndStatus, type OpenTask } from './script.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Variables a wait carries, once the port has them (UserTaskWait.variables). */
const waitVariables = (w: UserTaskWait): JsonObject | undefined => (w as UserTaskWait & { variables?: JsonObject }).variables;

interface Instance {
  ctx: InstanceContext;
  step: Step | null;
  /** The parent instance and the ref of its call activity waiting for this one. */
  parent: { id: string; ref: string } | null;
}

/** An incident at an element stops that element only: the rest of the instance still waits (a command that failed whole stops all). */
const running = (step: Step | null) => !!step && (step.status === 'active' || (step.status === 'incident' && !step.failed));
const waitsOf = (i: Instance) => (running(i.step) ? i.step!.waits : []);

export class EmbeddedDriver implements Driver {
  private readonly instances = new Map<string, Instance>();

  constructor(
    private readonly engine: Engine,
    private readonly rootId: string,
    private readonly xml: string,
    private readonly params: JsonObject,
    private readonly decisions?: DecisionLookup,
  ) {}

  private create(id: string, processId: string | undefined, parent: Instance['parent']): Instance {
    const definition = { id: `differential/${this.rootId}`, xml: this.xml, ...(processId && { processId }) };
    const inst: Instance = { ctx: { instanceId: id, definition, params: this.params, state: null, ...(this.decisions && { decisions: this.decisions }) }, step: null, parent };
    this.instances.set(id, inst);
    return inst;
  }

  private async run(inst: Instance, command: AnyCommand) {
    const step = await this.engine.run(inst.ctx, command);
    inst.step = step;
    inst.ctx.state = step.state;
    await this.followCalls(inst);
    if (this.instances.has(inst.ctx.instanceId)) await this.fireDue(inst);
    // A throw or end event's broadcast goes out once its step is done, as the domain sends it.
    for (const e of step.effects) if (e.type === 'broadcast-signal') await this.signal(e.name, e.variables);
  }

  /** Children of calls that went are dropped, new calls get a child, and a completed child completes its call. */
  private async followCalls(inst: Instance) {
    const id = inst.ctx.instanceId;
    const calls = waitsOf(inst).filter((w): w is CallWait => w.kind === 'call');
    for (const [childId, child] of this.instances) {
      if (child.parent?.id === id && !calls.some((c) => c.ref === child.parent!.ref)) this.drop(childId);
    }
    for (const call of calls) {
      const childId = `${id}/${call.ref}`;
      if (!this.instances.has(childId)) await this.run(this.create(childId, call.processId, { id, ref: call.ref }), { type: 'start', variables: call.variables });
    }
    if (inst.parent && inst.step?.status === 'completed') {
      this.instances.delete(id);
      const parent = this.instances.get(inst.parent.id);
      if (parent) await this.run(parent, { type: 'completeCall', ref: inst.parent.ref, variables: inst.step.variables });
    }
  }

  private drop(id: string) {
    this.instances.delete(id);
    for (const [childId, child] of this.instances) if (child.parent?.id === id) this.drop(childId);
  }

  /** Fires every timer due by now, again while firing makes new ones due (a cycle, a chain). */
  private async fireDue(inst: Instance) {
    const now = Date.now();
    const due = waitsOf(inst).filter((w) => w.kind === 'timer' && Date.parse(w.dueAt) <= now);
    if (due.length) await this.run(inst, { type: 'fireTimers', refs: due.map((w) => w.ref) });
  }

  private async fireAllDue() {
    for (const inst of [...this.instances.values()]) if (this.instances.has(inst.ctx.instanceId)) await this.fireDue(inst);
  }

  private userTasks() {
    return [...this.instances.values()].flatMap((inst) =>
      waitsOf(inst).filter((w): w is UserTaskWait => w.kind === 'userTask').map((wait) => ({ wait, inst })),
    );
  }

  private get root() {
    return this.instances.get(this.rootId);
  }

  async start(variables: JsonObject) {
    await this.run(this.create(this.rootId, undefined, null), { type: 'start', variables });
  }

  async complete(elementId: string, where: JsonObject | undefined, variables: JsonObject) {
    const task = choose(this.userTasks(), (t) => t.wait.elementId, (t) => waitVariables(t.wait), elementId, where);
    await this.run(task.inst, { type: 'completeTask', ref: task.wait.ref, variables });
  }

  async publish(name: string, key: string, variables: JsonObject) {
    // Like a message with time to live 0: nobody waiting, nobody takes it.
    for (const inst of this.instances.values()) {
      const wait = waitsOf(inst).find((w) => w.kind === 'message' && w.messageName === name && w.correlationKey === key);
      if (wait) return this.run(inst, { type: 'correlate', ref: wait.ref, variables });
    }
  }

  /** Every wait for the signal open now takes it once (Zeebe: the subscriptions found at the broadcast). */
  async signal(name: string, variables: JsonObject) {
    const waiting = [...this.instances.values()].flatMap((inst) => waitsOf(inst).filter((w) => w.kind === 'signal' && w.signalName === name).map((w) => ({ inst, ref: w.ref })));
    for (const { inst, ref } of waiting) {
      // One the instance has left meanwhile (an interrupting catch ended it) is not there to take it.
      if (this.instances.has(inst.ctx.instanceId) && waitsOf(inst).some((w) => w.ref === ref)) await this.run(inst, { type: 'correlate', ref, variables });
    }
  }

  async sleep(ms: number) {
    await sleep(ms);
    await this.fireAllDue();
  }

  async cancel() {
    if (this.root) await this.run(this.root, { type: 'cancel' });
  }

  async observe(): Promise<OpenTask[]> {
    await this.fireAllDue();
    return this.userTasks().map(({ wait }) => ({ elementId: wait.elementId, ...(waitVariables(wait) && { variables: waitVariables(wait) }) }));
  }

  async finish(): Promise<{ status: EndStatus; variables: JsonObject | null }> {
    const step = this.root?.step;
    if (!step) return { status: 'active', variables: null };
    // Still running with an element in an incident: what gRPC shows of Zeebe's (it cannot see incidents).
    return { status: running(step) ? 'active' : step.status, variables: step.variables };
  }
}
