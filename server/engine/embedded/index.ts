// Embedded engine: bpmn-engine, recovered from the stored state for each command and dropped after
// it, so no instance costs memory between requests. FEEL for every "=…", Zeebe extensions for
// forms, groups, due dates and mappings, durable timers, message waits and incidents.
import { EventEmitter } from 'node:events';
import { Engine as BpmnEngine } from 'bpmn-engine';
import type {
  Command, DeployProblem, Effect, Engine, InstanceContext, ProcessInfo, ServiceHandler, Step, StepEvent, WaitPoint,
} from '../index.js';
import * as elements from 'bpmn-elements';
import Serializer, { TypeResolver } from 'moddle-context-serializer';
import type { JsonObject } from '../../json.js';
import { compile, inspectWith, zeebeSchema, type Compiled, type ElementMeta } from '../../bpmn/read.js';
import { evaluateFeel, isFeel, resolveText } from '../../feel/index.js';
import { RecordingTimers } from './timers.js';

/** Elements whose result (signal payload, handler output) is merged into the variables. */
const RESULT_BEARING = new Set(['bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:SendTask']);
const NOT_HISTORY = new Set(['bpmn:SequenceFlow', 'bpmn:Process']);
const QUIESCE_LIMIT_MS = 30_000;

export interface EmbeddedEngineOptions {
  handlers: Record<string, ServiceHandler>;
  /** How many compiled definitions to keep (parsing BPMN is the costly part of a command). */
  cacheSize?: number;
}

interface ElementApi {
  id: string;
  type: string;
  name?: string;
  executionId: string;
  content: Record<string, any>;
  environment: { variables: Record<string, unknown> };
  signal(message?: unknown): void;
  getPostponed?: () => ElementApi[];
}

/**
 * What we persist: bpmn-engine's state without the definition source, and the process variables
 * kept by us, because bpmn-elements assigns its execute message (fields, content, properties) over
 * the process variables at every start and resume.
 */
interface SavedState {
  engine: any;
  variables: JsonObject;
}

class StepError extends Error {
  constructor(
    readonly elementId: string,
    message: string,
  ) {
    super(message);
  }
}

const plain = (value: unknown): JsonObject =>
  value && typeof value === 'object' && !Array.isArray(value) ? (JSON.parse(JSON.stringify(value)) as JsonObject) : {};

function groups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (typeof value === 'string') return value.split(',').map((g) => g.trim()).filter(Boolean);
  return [];
}

export class EmbeddedEngine implements Engine {
  readonly kind = 'embedded';
  readonly selfDriven = false;
  private readonly cache = new Map<string, Promise<Runnable>>();
  private readonly cacheSize: number;

  constructor(private readonly options: EmbeddedEngineOptions) {
    this.cacheSize = options.cacheSize ?? 200;
  }

  async inspect(xml: string): Promise<{ processes: ProcessInfo[]; problems: DeployProblem[] }> {
    return inspectWith(await compile(xml), this.options.handlers);
  }

  async close() {
    this.cache.clear();
  }

  private compiled(id: string, xml: string): Promise<Runnable> {
    let entry = this.cache.get(id);
    if (entry) {
      this.cache.delete(id);
      this.cache.set(id, entry);
      return entry;
    }
    entry = compile(xml).then((c) => {
      if (c.problems.length) throw new Error(`definition ${id} cannot run: ${c.problems.map((p) => p.message).join('; ')}`);
      return { ...c, sourceContext: Serializer(c.moddle as any, TypeResolver(elements as any)) };
    });
    entry.catch(() => this.cache.delete(id));
    this.cache.set(id, entry);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }

  async run(ctx: InstanceContext, command: Command): Promise<Step> {
    if (command.type === 'sync') throw new Error('the embedded engine moves only by commands: nothing to sync');
    if (command.type === 'cancel') {
      return { status: 'cancelled', variables: (ctx.state as SavedState | null)?.variables ?? {}, waits: [], events: [], effects: [], incident: null, state: null };
    }
    if (command.type === 'migrate') {
      // The saved state is recovered against the new version, its active elements renamed as mapped.
      const target = await this.compiled(command.to.id, command.to.xml);
      const state = ctx.state as SavedState;
      const moved = { ...ctx, definition: command.to, state: { ...state, engine: renameElements(state.engine, command.mapping) } };
      return new Session(target, moved, this.options.handlers).run({ type: 'fireTimers', refs: [] });
    }
    const compiled = await this.compiled(ctx.definition.id, ctx.definition.xml);
    return new Session(compiled, ctx, this.options.handlers).run(command);
  }
}

/**
 * bpmn-engine's state with each mapped element renamed: its id wherever an element or flow names
 * it, and its execution ids (`<id>_<suffix>`), so a task on a renamed element becomes a new wait.
 */
function renameElements(state: unknown, mapping: Record<string, string>): unknown {
  const renames = Object.entries(mapping).filter(([from, to]) => from !== to);
  if (!renames.length) return state;
  const rename = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => rename(v, key));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v, k)]));
    if (typeof value !== 'string') return value;
    if (key === 'id' || key === 'targetId' || key === 'sourceId' || key === 'elementId') return mapping[value] ?? value;
    if (key === 'executionId') for (const [from, to] of renames) if (value.startsWith(`${from}_`)) return `${to}${value.slice(from.length)}`;
    return value;
  };
  return rename(state, '');
}

/** A checked definition with the serialized context bpmn-engine executes. */
type Runnable = Compiled & { sourceContext: unknown };

/** One command on one instance: recover, act, run to the next wait state, report, drop. */
class Session {
  private readonly events: StepEvent[] = [];
  private readonly effects: Effect[] = [];
  private readonly timerDue = new Map<string, string>();
  private failure: StepError | null = null;
  private correlated: { elementId: string; variables: JsonObject } | null = null;
  private ended = false;
  private readonly engine: BpmnEngine;
  private readonly listener = new EventEmitter();
  private readonly saved: SavedState | null;
  private variables: JsonObject;

  constructor(
    private readonly compiled: Runnable,
    private readonly ctx: InstanceContext,
    private readonly handlers: Record<string, ServiceHandler>,
  ) {
    const session = this;
    this.saved = ctx.state as SavedState | null;
    this.variables = { ...structuredClone(this.saved?.variables ?? {}), ...(ctx.patch ?? {}) };
    this.engine = new BpmnEngine({
      name: ctx.instanceId,
      sourceContext: compiled.sourceContext as any,
      moddleOptions: { zeebe: zeebeSchema },
      timers: new RecordingTimers() as any,
      expressions: {
        isExpression: isFeel,
        hasExpression: isFeel,
        resolveExpression: (expression: unknown, message: any) => {
          if (!isFeel(expression)) return expression;
          return evaluateFeel(expression, session.feelContext());
        },
      } as any,
      extensions: {
        internalServices(activity: any) {
          const meta = compiled.meta.get(activity.id);
          if (meta?.taskType) activity.behaviour.Service = session.serviceFor(meta);
          return { activate() {}, deactivate() {} };
        },
      },
    } as any);
    this.listener.on('activity.timer', (api: ElementApi) => {
      if (api.content.expireAt) this.timerDue.set(api.id, new Date(api.content.expireAt).toISOString());
    });
    this.listener.on('activity.end', (api: ElementApi) => this.onEnd(api));
    this.engine.on('end', () => (this.ended = true));
    this.engine.on('error', (err: any) => {
      const elementId = err?.source?.content?.id ?? err?.inner?.source?.content?.id ?? this.ctx.definition.id;
      this.failure = new StepError(elementId, err?.message ?? String(err));
    });
  }

  feelContext(local: JsonObject = {}): JsonObject {
    return { ...this.variables, ...local, params: this.ctx.params };
  }

  /** Output mappings when the element has them, else the whole result (Zeebe's rule). */
  private merge(meta: ElementMeta | undefined, result: JsonObject) {
    if (meta?.outputs.length) {
      const scope = this.feelContext(result);
      for (const m of meta.outputs) this.variables[m.target] = evaluateFeel(m.source, scope);
    } else {
      Object.assign(this.variables, result);
    }
  }

  private serviceFor(meta: ElementMeta) {
    const session = this;
    const handler = this.handlers[meta.taskType!];
    return function InternalService(activity: any) {
      return {
        execute(message: any, callback: (err: Error | null, output?: unknown) => void) {
          const variables = structuredClone(session.variables);
          Promise.resolve()
            .then(() => handler({ variables, params: session.ctx.params, headers: meta.headers, elementId: meta.id }))
            .then(
              (out) => {
                session.effects.push(...(out.effects ?? []));
                callback(null, out.variables ?? {});
              },
              (err: Error) => callback(new Error(`handler "${meta.taskType}" failed: ${err.message}`)),
            );
        },
      };
    };
  }

  private onEnd(api: ElementApi) {
    if (NOT_HISTORY.has(api.type)) return;
    const meta = this.compiled.meta.get(api.id);
    let data: JsonObject | null = null;
    if (RESULT_BEARING.has(api.type)) {
      const output = plain(api.content.output);
      this.merge(meta, output);
      data = Object.keys(output).length ? output : null;
    } else if (meta?.messageName && this.correlated?.elementId === api.id) {
      data = this.correlated.variables;
    }
    this.events.push({ elementId: api.id, name: meta?.name ?? api.name ?? api.id, type: api.type.replace(/^bpmn:/, ''), at: new Date().toISOString(), data });
  }

  private postponed(): ElementApi[] {
    const flat: ElementApi[] = [];
    const seen = new Set<string>();
    // A sub-process lists itself before its children: visit each execution once.
    const visit = (list: ElementApi[]) => {
      for (const api of list) {
        if (seen.has(api.executionId)) continue;
        seen.add(api.executionId);
        if (api.type === 'bpmn:SubProcess' && typeof api.getPostponed === 'function') visit(api.getPostponed());
        else flat.push(api);
      }
    };
    visit(((this.engine.execution as any)?.getPostponed?.() ?? []) as ElementApi[]);
    return flat;
  }

  private async quiesce() {
    const started = Date.now();
    while (this.engine.activityStatus === 'executing' && !this.failure) {
      if (Date.now() - started > QUIESCE_LIMIT_MS) throw new StepError(this.ctx.definition.id, 'a service handler did not finish in time');
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Let synchronous continuations (ends, outbound flows) settle.
    await new Promise((resolve) => setImmediate(resolve));
  }

  private find(ref: string): ElementApi {
    const api = this.postponed().find((a) => a.executionId === ref);
    if (!api) throw new StepError(this.ctx.definition.id, `nothing waits as ${ref} in this instance`);
    return api;
  }

  async run(command: Exclude<Command, { type: 'cancel' }>): Promise<Step> {
    try {
      if (command.type === 'start') {
        this.variables = { ...structuredClone(command.variables), ...(this.ctx.patch ?? {}) };
        await this.engine.execute({ listener: this.listener } as any);
      } else {
        this.engine.recover(structuredClone(this.saved!.engine));
        await this.engine.resume({ listener: this.listener } as any);
        await this.quiesce();
        if (command.type === 'completeTask') this.find(command.ref).signal({ ...command.variables });
        if (command.type === 'correlate') {
          const api = this.find(command.ref);
          this.correlated = { elementId: api.id, variables: command.variables };
          this.merge(this.compiled.meta.get(api.id), command.variables);
          api.signal({ ...command.variables });
        }
        // fireTimers: resuming already completed every timer whose due time has passed.
      }
      await this.quiesce();
      if (this.failure) throw this.failure;
      const variables = this.variables;
      if (this.ended) {
        return { status: 'completed', variables, waits: [], events: this.events, effects: this.effects, incident: null, state: null };
      }
      const waits = this.waits();
      const engineState: any = await this.engine.getState();
      for (const d of engineState.definitions ?? []) delete d.source;
      const state: SavedState = { engine: engineState, variables };
      return { status: 'active', variables, waits, events: this.events, effects: this.effects, incident: null, state };
    } catch (err) {
      const failure = err instanceof StepError ? err : new StepError(this.ctx.definition.id, (err as Error).message);
      return {
        status: 'incident',
        variables: this.saved?.variables ?? {},
        waits: [],
        events: this.events,
        effects: [],
        incident: { elementId: failure.elementId, message: failure.message },
        state: this.ctx.state,
      };
    }
  }

  private waits(): WaitPoint[] {
    const scope = this.feelContext();
    const waits: WaitPoint[] = [];
    for (const api of this.postponed()) {
      const meta = this.compiled.meta.get(api.id);
      const name = meta?.name ?? api.name ?? api.id;
      const base = { ref: api.executionId, elementId: api.id, name };
      if (api.type === 'bpmn:UserTask') {
        const due = resolveText(meta?.dueDate, scope);
        waits.push({
          kind: 'userTask',
          ...base,
          formKey: meta?.formKey ?? null,
          candidateGroups: groups(meta?.candidateGroups && isFeel(meta.candidateGroups) ? evaluateFeel(meta.candidateGroups, scope) : meta?.candidateGroups),
          due: due ? new Date(due).toISOString() : null,
        });
      } else if (this.timerDue.has(api.id)) {
        waits.push({ kind: 'timer', ...base, dueAt: this.timerDue.get(api.id)! });
      } else if (meta?.messageName) {
        waits.push({ kind: 'message', ...base, messageName: meta.messageName, correlationKey: resolveText(meta.correlationKey, scope) ?? '' });
      }
    }
    return waits;
  }
}
