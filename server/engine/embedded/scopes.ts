// Variables by scope, with Zeebe's rules: what an element instance sees (its scopes' locals over
// the process's), where a result goes (the nearest scope holding each name, else the process),
// and what a user task's job carries (the values of its activation).
import type { JsonObject } from '../../json.js';
import { ZEEBE_FUNCTIONS } from '../../feel/index.js';
import type { Node } from './model.js';
import { ROOT, type State } from './state.js';

type Value = JsonObject[string];

export class Scopes {
  constructor(
    private readonly state: State,
    private readonly nodes: Map<string, Node>,
    private readonly params: JsonObject,
    /** Created but not yet entered: a user task without a job yet. */
    private readonly pending: (id: string) => boolean,
  ) {}

  private parent(id: string): string {
    return this.state.items[id]?.p ?? '';
  }

  private holds(scope: string, key: string): boolean {
    const vars = this.state.vars[scope];
    return !!vars && key in vars;
  }

  locals(id: string): JsonObject {
    return (this.state.vars[id] ??= {});
  }

  /** The variables an element instance sees; for FEEL (withParams) also params and Zeebe's functions. */
  view(id: string, withParams = true): JsonObject {
    const chain: JsonObject[] = [];
    for (let s = id; s; s = this.parent(s)) {
      const v = this.state.vars[s];
      if (v) chain.push(v);
    }
    const out: JsonObject = withParams ? { ...ZEEBE_FUNCTIONS } : {};
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i]);
    if (withParams) out.params = this.params;
    return out;
  }

  /** Zeebe's mergeDocument: each variable goes to the nearest scope (from `scope` up) holding it, else the process. */
  mergeDocument(scope: string, doc: JsonObject) {
    for (const key in doc) {
      let s = scope;
      while (s && !this.holds(s, key)) s = this.parent(s);
      this.write(s || ROOT, key, doc[key]!);
    }
  }

  /** Every change of a variable an open user task can see goes through here (values are never changed in place). */
  write(scope: string, key: string, value: Value) {
    this.keepSeen(scope, key);
    this.locals(scope)[key] = value;
  }

  /**
   * A Zeebe job carries the variables as they were when it was activated: before a variable an open
   * user task sees changes, the task keeps the value it saw (only that one: [value], or [] if absent).
   */
  private keepSeen(scope: string, key: string) {
    for (const id in this.state.items) {
      const inst = this.state.items[id]!;
      if (inst.mi || this.nodes.get(inst.el)!.kind !== 'userTask' || (inst.vs && key in inst.vs) || this.pending(id)) continue;
      // Visible only when the task is inside the scope and no scope between them holds the name.
      let s = id;
      while (s && s !== scope && !this.holds(s, key)) s = this.parent(s);
      if (s !== scope) continue;
      (inst.vs ??= {})[key] = this.holds(scope, key) ? [this.state.vars[scope]![key]!] : [];
    }
  }

  /** The variables a user task's job carries: what it saw at activation. */
  taskVariables(id: string): JsonObject {
    const view = this.view(id, false);
    const seen = this.state.items[id]!.vs;
    for (const key in seen) {
      const kept = seen[key]!;
      if (kept.length) view[key] = kept[0]!;
      else delete view[key];
    }
    return view;
  }
}
