// The differential corpus's language: a case is a diagram plus a script of actions, written once and
// run on every engine. After each action the harness notes the open user tasks; at the end the
// status and the process variables. Those traces are compared between engines, and each case also
// states what the reference (Zeebe) must do, so a case is never green when all engines are wrong alike.
import type { JsonObject } from '../../server/json.js';

export type Action =
  /** Complete the open user task at this element; `where` picks one by its variables (subset match). */
  | { complete: string; where?: JsonObject; variables?: JsonObject }
  /** Publish a message (time to live 0: only a subscription open now takes it). */
  | { publish: string; key: string; variables?: JsonObject }
  /** Broadcast a signal: every wait for it takes it (a signal start event is not part of the corpus). */
  | { signal: string; variables?: JsonObject }
  /** Let wall-clock time pass; timers due by then fire. */
  | { sleep: number }
  | { cancel: true }
  /** No action: the open user tasks now are exactly these element ids (sorted, repeats for multi-instance). */
  | { expect: string[] };

/** 'refused': the diagram does not deploy (Zeebe rejects it; the embedded engine's inspect reports problems). */
export type EndStatus = 'completed' | 'cancelled' | 'active' | 'incident' | 'refused';

export interface Case {
  name: string;
  /** One line: which elements and combinations it exercises. */
  covers: string;
  /** The BPMN file, relative to the repository root. */
  file: string;
  /** DMN files its business rule tasks call, deployed beside it (relative to the repository root). */
  decisions?: string[];
  params?: JsonObject;
  /** Start variables; a function for values taken at run time (a due date). */
  start?: JsonObject | (() => JsonObject);
  steps: Action[];
  /** The oldest Zeebe (major.minor) whose behaviour the case describes; older brokers do not run it. */
  since?: string;
  /** Absolute expectations on the reference: the end status and a subset of the final variables. */
  end: EndStatus;
  variables?: JsonObject;
}

export interface OpenTask {
  elementId: string;
  /** Variables visible to the task when it opened (as a Zeebe job carries them); absent when the engine does not say. */
  variables?: JsonObject;
}

export interface Observation {
  after: string;
  tasks: OpenTask[];
}

export interface Trace {
  observations: Observation[];
  status: EndStatus;
  /** Final process variables; null when the engine cannot tell (a cancelled Zeebe instance). */
  variables: JsonObject | null;
  /** Why the script could not go on (no such task, no matching subscription…). */
  error?: string;
}

/** What one engine must offer the script runner. */
export interface Driver {
  start(variables: JsonObject): Promise<void>;
  complete(elementId: string, where: JsonObject | undefined, variables: JsonObject): Promise<void>;
  publish(name: string, key: string, variables: JsonObject): Promise<void>;
  signal(name: string, variables: JsonObject): Promise<void>;
  sleep(ms: number): Promise<void>;
  cancel(): Promise<void>;
  /**
   * Open user tasks once the engine has settled. An engine that moves by itself may wait longer
   * for what the script expects next (a busy broker is slow, not wrong); the hint never changes
   * what is reported.
   */
  observe(hint: Hint): Promise<OpenTask[]>;
  /** The end, once the script is through; leaves nothing running. */
  finish(): Promise<{ status: EndStatus; variables: JsonObject | null }>;
}

/** What the script expects after an action: these open tasks, one at this element, or the end. */
export type Hint = { tasks: string[] } | { element: string } | { end: true } | null;

function hintAt(c: Case, next: number): Hint {
  const action = c.steps[next];
  if (!action) return c.end === 'completed' ? { end: true } : null;
  if ('expect' in action) return { tasks: action.expect };
  if ('complete' in action) return { element: action.complete };
  return null;
}

export const label = (a: Action): string =>
  'complete' in a ? `complete ${a.complete}${a.where ? ` ${JSON.stringify(a.where)}` : ''}`
  : 'publish' in a ? `publish ${a.publish}/${a.key}`
  : 'signal' in a ? `signal ${a.signal}`
  : 'sleep' in a ? `sleep ${a.sleep}`
  : 'cancel' in a ? 'cancel'
  : `expect ${a.expect.join(',')}`;

const subsetOf = (want: JsonObject, have: JsonObject | undefined) =>
  Object.entries(want).every(([k, v]) => JSON.stringify(have?.[k]) === JSON.stringify(v));

/** The one open task a `complete` action means: at the element, and matching `where` if given. */
export function choose<T>(open: T[], elementOf: (t: T) => string, variablesOf: (t: T) => JsonObject | undefined, elementId: string, where?: JsonObject): T {
  const candidates = open.filter((t) => elementOf(t) === elementId);
  const chosen = where ? candidates.filter((t) => subsetOf(where, variablesOf(t))) : candidates;
  if (!chosen.length) throw new Error(`no open task at ${elementId}${where ? ` with ${JSON.stringify(where)}` : ''}`);
  if (where && chosen.length > 1) throw new Error(`${chosen.length} open tasks at ${elementId} match ${JSON.stringify(where)}`);
  return chosen[0];
}

/** Runs a script on one driver; a failing action ends the trace with its error instead of throwing. */
export async function runScript(c: Case, driver: Driver): Promise<Trace> {
  const observations: Observation[] = [];
  let error: string | undefined;
  try {
    await driver.start(typeof c.start === 'function' ? c.start() : (c.start ?? {}));
    observations.push({ after: 'start', tasks: await driver.observe(hintAt(c, 0)) });
    for (const [i, action] of c.steps.entries()) {
      if ('expect' in action) continue;
      if ('complete' in action) await driver.complete(action.complete, action.where, action.variables ?? {});
      else if ('publish' in action) await driver.publish(action.publish, action.key, action.variables ?? {});
      else if ('signal' in action) await driver.signal(action.signal, action.variables ?? {});
      else if ('sleep' in action) await driver.sleep(action.sleep);
      else await driver.cancel();
      observations.push({ after: label(action), tasks: await driver.observe(hintAt(c, i + 1)) });
    }
  } catch (err) {
    error = (err as Error).message;
  }
  const end = await driver.finish();
  return { observations, ...end, ...(error && { error }) };
}

/** The open tasks each `expect` step names, against the observation just before it. */
export function expectationsMet(c: Case, trace: Trace): string[] {
  if (c.end === 'refused' || trace.status === 'refused') {
    return trace.status === c.end ? [] : [`${trace.status === 'refused' ? trace.error : `ended ${trace.status}`}, expected ${c.end}`];
  }
  const failures: string[] = [];
  let seen = 0;
  for (const action of c.steps) {
    if (!('expect' in action)) {
      seen++;
      continue;
    }
    const obs = trace.observations[seen];
    const open = obs?.tasks.map((t) => t.elementId).sort() ?? null;
    const want = [...action.expect].sort();
    if (JSON.stringify(open) !== JSON.stringify(want)) failures.push(`after "${obs?.after ?? '?'}": open tasks ${JSON.stringify(open)}, expected ${JSON.stringify(want)}`);
  }
  if (trace.status !== c.end) failures.push(`ended ${trace.status}, expected ${c.end}`);
  if (c.variables && !subsetOf(c.variables, trace.variables ?? undefined)) {
    failures.push(`final variables ${JSON.stringify(trace.variables)} do not hold ${JSON.stringify(c.variables)}`);
  }
  if (trace.error) failures.push(`script stopped: ${trace.error}`);
  return failures;
}

const NOW_WINDOW_MS = 24 * 3600_000;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Sorts keys and masks timestamps taken at run time (publishedAt, a notice's at), which differ by nature. */
export function normalise(value: unknown): any {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, normalise(v)]));
  }
  if (typeof value === 'string' && ISO.test(value) && Math.abs(Date.parse(value) - Date.now()) < NOW_WINDOW_MS) return '<now>';
  return value;
}

/** Tasks sorted by element and variables; variables kept only where both engines report them. */
export function comparable(trace: Trace, withTaskVariables: boolean) {
  return {
    observations: trace.observations.map((o) => ({
      after: o.after,
      tasks: o.tasks
        .map((t) => ({ elementId: t.elementId, ...(withTaskVariables && { variables: normalise(t.variables ?? {}) }) }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    })),
    status: trace.status,
    variables: trace.variables && normalise(trace.variables),
    error: trace.error ?? null,
  };
}

/** The first place two comparable traces part, in one line; null when they agree. */
export function difference(ours: ReturnType<typeof comparable>, reference: ReturnType<typeof comparable>): string | null {
  const show = (v: unknown) => JSON.stringify(v);
  const n = Math.max(ours.observations.length, reference.observations.length);
  for (let i = 0; i < n; i++) {
    const a = ours.observations[i];
    const b = reference.observations[i];
    if (show(a) !== show(b)) return `after "${b?.after ?? a?.after}": embedded has ${show(a?.tasks ?? null)}, Zeebe ${show(b?.tasks ?? null)}`;
  }
  if (ours.status !== reference.status) return `embedded ended ${ours.status}, Zeebe ${reference.status}`;
  if (show(ours.variables) !== show(reference.variables)) return `final variables: embedded ${show(ours.variables)}, Zeebe ${show(reference.variables)}`;
  if (ours.error !== reference.error) return `script error: embedded ${show(ours.error)}, Zeebe ${show(reference.error)}`;
  return null;
}

/** Whether a broker version (e.g. "8.5.8") is at least major.minor (e.g. "8.6"). */
export function atLeast(version: string, wanted: string): boolean {
  const [a, b] = version.split('.').map(Number);
  const [c, d] = wanted.split('.').map(Number);
  return a > c || (a === c && b >= d);
}
