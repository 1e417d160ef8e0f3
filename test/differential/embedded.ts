// Runs a script on the embedded engine through the Engine port, the way the domain runtime does:
// each Step's state goes with the next command, due timers fire by `fireTimers`, messages are
// correlated against the message waits with the same name and correlation key.
import type { Engine, InstanceContext, Step, UserTaskWait } from '../../server/engine/index.js';
import type { JsonObject } from '../../server/json.js';
import { choose, type Driver, type EndStatus, type OpenTask } from './script.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Variables a wait carries, once the port has them (UserTaskWait.variables). */
const waitVariables = (w: UserTaskWait): JsonObject | undefined => (w as UserTaskWait & { variables?: JsonObject }).variables;

export class EmbeddedDriver implements Driver {
  private step: Step | null = null;
  private readonly ctx: InstanceContext;

  constructor(
    private readonly engine: Engine,
    instanceId: string,
    xml: string,
    params: JsonObject,
  ) {
    this.ctx = { instanceId, definition: { id: `differential/${instanceId}`, xml }, params, state: null };
  }

  private async run(command: Parameters<Engine['run']>[1]) {
    const step = await this.engine.run(this.ctx, command);
    this.step = step;
    this.ctx.state = step.state;
    await this.fireDue();
  }

  /** Fires every timer due by now, again while firing makes new ones due (a cycle, a chain). */
  private async fireDue() {
    const now = Date.now();
    const due = this.step?.status === 'active' ? this.step.waits.filter((w) => w.kind === 'timer' && Date.parse(w.dueAt) <= now) : [];
    if (due.length) await this.run({ type: 'fireTimers', refs: due.map((w) => w.ref) });
  }

  private userTasks() {
    return this.step?.status === 'active' ? this.step.waits.filter((w): w is UserTaskWait => w.kind === 'userTask') : [];
  }

  async start(variables: JsonObject) {
    await this.run({ type: 'start', variables });
  }

  async complete(elementId: string, where: JsonObject | undefined, variables: JsonObject) {
    const task = choose(this.userTasks(), (w) => w.elementId, waitVariables, elementId, where);
    await this.run({ type: 'completeTask', ref: task.ref, variables });
  }

  async publish(name: string, key: string, variables: JsonObject) {
    // Like a message with time to live 0: nobody waiting, nobody takes it.
    const waits = this.step?.status === 'active' ? this.step.waits : [];
    const wait = waits.find((w) => w.kind === 'message' && w.messageName === name && w.correlationKey === key);
    if (wait) await this.run({ type: 'correlate', ref: wait.ref, variables });
  }

  async sleep(ms: number) {
    await sleep(ms);
    await this.fireDue();
  }

  async cancel() {
    await this.run({ type: 'cancel' });
  }

  async observe(): Promise<OpenTask[]> {
    await this.fireDue();
    return this.userTasks().map((w) => ({ elementId: w.elementId, ...(waitVariables(w) && { variables: waitVariables(w) }) }));
  }

  async finish(): Promise<{ status: EndStatus; variables: JsonObject | null }> {
    if (!this.step) return { status: 'active', variables: null };
    return { status: this.step.status, variables: this.step.variables };
  }
}
