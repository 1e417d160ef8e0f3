// Embedded engine: our interpreter of the Zeebe 8 BPMN subset (run.ts). Each command reads the
// instance's state, runs to the next wait states and hands back the new state: no engine object
// lives between requests, so several processes sharing a store stay safe through its revision guard.
import type { AnyCommand, DecisionLookup, DefinitionRef, DeployProblem, Engine, InstanceContext, ProcessInfo, ServiceHandler, Step } from '../index.js';
import { compile, inspectWith } from '../../bpmn/read.js';
import { DecisionCache } from '../../dmn/cache.js';
import { migrateState } from './migrate.js';
import { buildModel, type Model } from './model.js';
import { Run } from './run.js';
import { isState } from './state.js';
import type { JsonObject } from '../../json.js';

export interface EmbeddedEngineOptions {
  handlers: Record<string, ServiceHandler>;
  /** How many compiled definitions to keep (reading BPMN is the costly part of a first command). */
  cacheSize?: number;
}

export class EmbeddedEngine implements Engine {
  readonly kind = 'embedded';
  readonly selfDriven = false;
  private readonly cache = new Map<string, Promise<Model>>();
  private readonly cacheSize: number;
  private readonly decisions = new DecisionCache();

  constructor(private readonly options: EmbeddedEngineOptions) {
    this.cacheSize = options.cacheSize ?? 200;
  }

  async inspect(xml: string): Promise<{ processes: ProcessInfo[]; problems: DeployProblem[] }> {
    return inspectWith(await compile(xml));
  }

  async close() {
    this.cache.clear();
    this.decisions.clear();
  }

  /** The compiled model of a deployed version, least recently used evicted first. */
  private model(ref: DefinitionRef): Promise<Model> {
    const { id, xml, processId } = ref;
    const key = processId ? `${id}#${processId}` : id;
    let entry = this.cache.get(key);
    if (entry) {
      this.cache.delete(key);
      this.cache.set(key, entry);
      return entry;
    }
    entry = compile(xml).then((c) => {
      if (c.problems.length) throw new Error(`definition ${id} cannot run: ${c.problems.map((p) => p.message).join('; ')}`);
      return buildModel(c, processId);
    });
    entry.catch(() => this.cache.delete(key));
    this.cache.set(key, entry);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }

  async run(ctx: InstanceContext, command: AnyCommand): Promise<Step> {
    if (command.type === 'sync') throw new Error('the embedded engine moves only by commands: nothing to sync');
    if (command.type === 'migrate' && isState(ctx.state)) {
      // The state, renamed as mapped, runs on under the new version (a run with nothing to do reports its waits).
      const model = await this.model(command.to);
      const state = migrateState(ctx.state, command.mapping, model.processId);
      return Run.execute({ model, state, params: ctx.params, handlers: this.options.handlers, decide: this.decide(ctx.decisions), now: new Date() }, { type: 'fireTimers', refs: [] });
    }
    const model = await this.model(ctx.definition);
    return Run.execute({ model, state: ctx.state, params: ctx.params, handlers: this.options.handlers, decide: this.decide(ctx.decisions), patch: ctx.patch, now: new Date() }, command);
  }

  /** A missing decision fails the step (an incident, as in Zeebe), never the server. */
  private decide(lookup: DecisionLookup | undefined) {
    return async (decisionId: string, variables: JsonObject) => {
      const resource = lookup ? await lookup(decisionId) : null;
      if (!resource) throw new Error(`没有已部署的决策 ${decisionId} (no decision with id ${decisionId} is deployed)`);
      return this.decisions.evaluate(resource, decisionId, variables);
    };
  }
}
