// Compensation as Zeebe 8.5+ runs it (BpmnCompensationSubscriptionBehaviour): a completed activity
// with a compensation boundary event leaves a subscription in its flow scope, and so does a
// completed sub-process or multi-instance body holding such. A compensation throw or end event
// triggers the subscriptions of its scope (and, inside an event sub-process, of the scope around
// it) not triggered yet, all or those of the activity it names: each handler starts in the throw's
// scope, and a sub-process's subscription passes the trigger down to the ones inside it. The throw
// waits until every handler it started has completed, then goes on.
import type { Node } from './model.js';
import type { Compensable, State } from './state.js';

/** What compensation needs from the interpreter. */
export interface CompensationHost {
  readonly state: State;
  readonly nodes: Map<string, Node>;
  /** Starts an element in a scope; returns its element instance. */
  activate(el: string, scope: string): string;
  /** Records an element in the history (the compensation boundary event, as Zeebe activates it). */
  record(node: Node): void;
  /** Completes a waiting element instance (the throw event whose handlers are done). */
  complete(id: string): void;
}

const COMPENSABLE = new Set<Node['kind']>(['userTask', 'serviceTask', 'scriptTask', 'businessRuleTask', 'receiveTask', 'passTask', 'subProcess', 'callActivity']);

export class Compensations {
  constructor(private readonly host: CompensationHost) {}

  private get subs(): Compensable[] {
    return (this.host.state.comp ??= []);
  }

  private boundaryOf(activity: Node): Node | undefined {
    return activity.boundaries.map((b) => this.host.nodes.get(b)!).find((b) => b.compensation);
  }

  /**
   * An activity's instance completes in `scope`: it leaves a subscription when it has a compensation
   * boundary event, or when it is a sub-process or multi-instance body (`body`) holding some.
   */
  completed(id: string, node: Node, scope: string, body = false) {
    // A multi-instance activity is compensated once, through its body (its boundary events are the body's).
    if (!COMPENSABLE.has(node.kind) || node.eventSub || (node.loop && !body)) return;
    const handler = this.boundaryOf(node)?.compensation?.handler;
    const holds = (body || node.kind === 'subProcess') && this.subs.some((s) => s.scope === id);
    if (handler || holds) this.subs.push({ el: node.id, inst: id, scope, ...(handler && { h: handler }) });
  }

  /**
   * A compensation throw or end event was entered: triggers what it compensates; false when
   * nothing was there to compensate (the event then goes on at once).
   */
  trigger(throwId: string, node: Node): boolean {
    const { items } = this.host.state;
    const scope = items[throwId]!.p;
    const scopes = [scope];
    if (this.host.nodes.get(items[scope]!.el)!.eventSub) scopes.push(items[scope]!.p);
    const open = this.subs.filter((s) => !s.thr);
    const wanted = open.filter((s) => scopes.includes(s.scope) && (!node.compensation!.activity || s.el === node.compensation!.activity));
    for (const s of wanted) this.fire(s, open, throwId, scope);
    return wanted.length > 0;
  }

  private fire(s: Compensable, open: Compensable[], throwId: string, scope: string) {
    s.thr = throwId;
    if (s.h) {
      this.host.record(this.boundaryOf(this.host.nodes.get(s.el)!)!);
      s.hi = this.host.activate(s.h, scope);
    }
    // Down into a sub-process (or body): what completed inside it is compensated too.
    for (const inner of open) if (inner.scope === s.inst && !inner.thr) this.fire(inner, open, throwId, scope);
  }

  /** An element instance completed: when it was a compensation handler, its subscription is done, and maybe its throw. */
  handlerDone(id: string) {
    const done = this.subs.find((s) => s.hi === id);
    if (!done) return;
    this.remove(done);
    this.closeScope(done.scope);
    if (!this.subs.some((s) => s.thr === done.thr)) this.host.complete(done.thr!);
  }

  /** A scope's own subscription goes once none inside it is left, and so on upwards. */
  private closeScope(scope: string) {
    if (this.subs.some((s) => s.scope === scope)) return;
    const own = this.subs.find((s) => s.inst === scope && !s.h);
    if (!own) return;
    this.remove(own);
    this.closeScope(own.scope);
  }

  /** A terminated scope's subscriptions go with it, and those inside them. */
  dropScope(scope: string) {
    for (const s of this.subs.filter((x) => x.scope === scope)) {
      this.remove(s);
      this.dropScope(s.inst);
    }
  }

  private remove(s: Compensable) {
    const list = this.subs;
    list.splice(list.indexOf(s), 1);
    if (!list.length) delete this.host.state.comp;
  }
}
