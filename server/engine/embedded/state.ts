// The persisted state of one instance: small JSON, read back on the next command. Element
// instances form a tree by their parent id ("0" is the process instance); each may hold local
// variables. A state whose format we do not know becomes an incident, never a guess.
import type { JsonObject } from '../../json.js';
import type { Due } from './time.js';

export const FORMAT = 'yishi-embedded/1';
export const ROOT = '0';

export interface ElementInstance {
  /** Element id. */
  el: string;
  /** Parent element instance ("" for the process instance). */
  p: string;
  /** Waiting timer: due time, and the rest of its cycle. */
  due?: string;
  rep?: Due['repeat'];
  /** Waiting message: the correlation key resolved at activation, and the name when FEEL gave it. */
  key?: string;
  nm?: string;
  /** Waiting signal: its name, resolved at activation. */
  sig?: string;
  /** Call activity: the called process id, when FEEL gave it. */
  cp?: string;
  /** User task: candidate groups and due date resolved at activation (when given by FEEL or set). */
  grp?: string[];
  /** User task: its assignee, resolved at activation. */
  asg?: string;
  dd?: string;
  /** User task: the value it saw at activation of each variable changed since ([] = absent), as its Zeebe job carries them. */
  vs?: Record<string, JsonObject[string][]>;
  /** A job for an external worker: its type and retries, resolved at activation. */
  job?: { type: string; retries: number };
  /**
   * An incident stops this element instance (Zeebe): where it failed ('a' entering, 'c' completing,
   * 'j' its job out of retries or its error uncaught), the message, what a completion carried (to
   * complete again on resolve), and the job's key.
   */
  inc?: { m: string; ph: 'a' | 'c' | 'j'; r?: JsonObject | null; d?: JsonObject | null; k?: string };
  /** Multi-instance body bookkeeping. */
  mi?: { n: number; active: number; done: number; next: number };
  /** Inner instance of a multi-instance body: its loopCounter (from 1). */
  lc?: number;
}

/** A boundary event, an event sub-process start or an event-based gateway's target, waiting. */
export interface Subscription {
  /** The catch event's element id. */
  el: string;
  /** The element instance it belongs to (activity, container or gateway). */
  on: string;
  due?: string;
  rep?: Due['repeat'];
  key?: string;
  nm?: string;
  sig?: string;
}

/**
 * Zeebe's compensation subscription: a completed activity that can be compensated (it has a
 * compensation boundary event, or it is a sub-process or multi-instance body holding such).
 */
export interface Compensable {
  /** The activity's element id, its (completed) element instance and that instance's flow scope. */
  el: string;
  inst: string;
  scope: string;
  /** The compensation handler's element id; none for a sub-process's own. */
  h?: string;
  /** Once triggered: the throw event instance that waits for it, and the handler's instance. */
  thr?: string;
  hi?: string;
}

export interface State {
  format: typeof FORMAT;
  /** Last id handed out: element instances and subscriptions share it, so refs never repeat. */
  seq: number;
  items: Record<string, ElementInstance>;
  subs: Record<string, Subscription>;
  /** Local variables per element instance; ROOT holds the process variables. */
  vars: Record<string, JsonObject>;
  /** Tokens waiting at joining gateways: "scope|gateway" → incoming flow id → count. */
  joins: Record<string, Record<string, number>>;
  /** Completed activities that can be compensated, in completion order (absent: none yet). */
  comp?: Compensable[];
}

export function isState(value: unknown): value is State {
  return !!value && typeof value === 'object' && (value as { format?: unknown }).format === FORMAT;
}

export function initialState(processId: string, variables: JsonObject): State {
  return { format: FORMAT, seq: 0, items: { [ROOT]: { el: processId, p: '' } }, subs: {}, vars: { [ROOT]: variables }, joins: {} };
}
