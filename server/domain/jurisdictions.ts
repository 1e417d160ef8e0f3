// The jurisdiction tree and inheritance, resolved in this one place: a jurisdiction's effective
// processes, forms, parameters and vocabulary are its own over its parent's, recursively.
import { notFound } from '../errors.js';
import type { DecisionRecord, DefinitionRecord, FormRecord, JsonObject, JurisdictionRecord, Store } from '../store/index.js';
import type { ParameterDeclaration } from './parameters.js';

export interface EffectiveRuleSet {
  id: string;
  name: string;
  parent: string | null;
  /** The jurisdiction's own version: bumped by every save of its name, parent, parameters, vocabulary or groups. */
  version: number;
  parameters: JsonObject;
  vocabulary: Record<string, string>;
  /** Declarations of the parameters (type, bounds, label), own over inherited. */
  parameterTypes: Record<string, ParameterDeclaration>;
  /** Where each parameter and vocabulary term is defined (the nearest jurisdiction naming it). */
  sources: { parameters: Record<string, string>; vocabulary: Record<string, string>; groups: Record<string, string> };
  /** Functional groups (BPMN candidate groups) declared here and above, with their labels. */
  groups: Record<string, string>;
  processes: { key: string; name: string; version: number; definedAt: string }[];
  /** `title` is the form schema's own title, for people to read in place of the key. */
  forms: { formKey: string; version: number; definedAt: string; title?: string }[];
  /** DMN documents (decision requirements graphs), own over inherited by key. */
  decisions: { key: string; name: string; version: number; definedAt: string }[];
}

/** How often a server looks whether another one changed the rule sets (ms): the bound on how stale its tree is. */
export const CACHE_POLL_MS = 1000;

export class Jurisdictions {
  private byId = new Map<string, JurisdictionRecord>();
  /** The store's rule-set generation the tree in memory was read at. */
  private generation: string | null = null;

  constructor(private readonly store: Store) {}

  /** Reloads the tree; called at start and after every rule-set import. */
  async refresh() {
    // Read before the tree: a write landing in between moves it again, and the next look reloads.
    const generation = await this.store.jurisdictions.generation();
    this.byId = new Map((await this.store.jurisdictions.list()).map((j) => [j.id, j]));
    this.generation = generation;
  }

  /**
   * Reloads the tree when a rule-set write elsewhere (another server) moved the store's generation;
   * the scheduler looks every CACHE_POLL_MS, which bounds how stale the tree is.
   */
  async tick(): Promise<boolean> {
    if ((await this.store.jurisdictions.generation()) === this.generation) return false;
    await this.refresh();
    return true;
  }

  list(): JurisdictionRecord[] {
    return [...this.byId.values()];
  }

  exists(id: string) {
    return this.byId.has(id);
  }

  get(id: string): JurisdictionRecord {
    const j = this.byId.get(id);
    if (!j) throw notFound(`未知辖区 ${id} (unknown jurisdiction)`);
    return j;
  }

  /** [id, parent, grandparent, …]; unknown ids give []. */
  ancestry(id: string): string[] {
    const chain: string[] = [];
    for (let j = this.byId.get(id); j && !chain.includes(j.id); j = j.parent ? this.byId.get(j.parent) : undefined) chain.push(j.id);
    return chain;
  }

  descendants(id: string): string[] {
    if (!this.byId.has(id)) return [];
    return this.list()
      .filter((j) => this.ancestry(j.id).includes(id))
      .map((j) => j.id);
  }

  async effective(id: string): Promise<EffectiveRuleSet> {
    const self = this.get(id);
    const chain = this.ancestry(id).reverse(); // root first, so nearer levels override
    const parameters: JsonObject = {};
    const vocabulary: Record<string, string> = {};
    const sources: EffectiveRuleSet['sources'] = { parameters: {}, vocabulary: {}, groups: {} };
    const groups: Record<string, string> = {};
    const parameterTypes: Record<string, ParameterDeclaration> = {};
    const forms = new Map<string, EffectiveRuleSet['forms'][number]>();
    const decisions = new Map<string, EffectiveRuleSet['decisions'][number]>();
    for (const jid of chain) {
      const j = this.get(jid);
      Object.assign(parameters, j.parameters);
      Object.assign(vocabulary, j.vocabulary);
      const ownGroups = (j.extra?.groups as Record<string, string> | undefined) ?? {};
      Object.assign(groups, ownGroups);
      Object.assign(parameterTypes, (j.extra?.parameterTypes as unknown as Record<string, ParameterDeclaration> | undefined) ?? {});
      for (const g of Object.keys(ownGroups)) sources.groups[g] = jid;
      for (const name of Object.keys(j.parameters)) sources.parameters[name] = jid;
      for (const term of Object.keys(j.vocabulary)) sources.vocabulary[term] = jid;
      for (const f of await this.store.forms.listLatest(jid)) {
        const title = f.doc.schema.title;
        forms.set(f.formKey, { formKey: f.formKey, version: f.version, definedAt: jid, ...(typeof title === 'string' && { title }) });
      }
      for (const d of await this.store.decisions.listLatest(jid)) decisions.set(d.key, { key: d.key, name: d.name, version: d.version, definedAt: jid });
    }
    return {
      id, name: self.name, parent: self.parent, version: self.version ?? 0, parameters, vocabulary, parameterTypes, sources, groups, processes: await this.processes(id),
      forms: [...forms.values()].map((f) => (f.title ? { ...f, title: this.localize(f.title, vocabulary) } : f)),
      decisions: [...decisions.values()],
    };
  }

  /**
   * The processes in force at a jurisdiction (own latest over inherited, by key): what effective()
   * lists, without reading its forms and decisions (the timer-start scheduler looks on every tick).
   */
  async processes(id: string): Promise<EffectiveRuleSet['processes']> {
    const processes = new Map<string, EffectiveRuleSet['processes'][number]>();
    for (const jid of this.ancestry(this.get(id).id).reverse()) {
      for (const d of await this.store.definitions.listLatest(jid)) processes.set(d.key, { key: d.key, name: d.name, version: d.version, definedAt: jid });
    }
    return [...processes.values()];
  }

  /** The definition a jurisdiction sees for a key: its own latest, else the nearest ancestor's. */
  async definition(id: string, key: string, version?: number): Promise<DefinitionRecord> {
    for (const jid of this.ancestry(this.get(id).id)) {
      const d = version ? await this.store.definitions.get(jid, key, version) : await this.store.definitions.latest(jid, key);
      if (d) return d;
      if (version && (await this.store.definitions.latest(jid, key))) break;
    }
    throw notFound(`辖区 ${id} 没有流程 ${key}${version ? ` 版本 ${version}` : ''} (no such process)`);
  }

  /** The DMN document a jurisdiction sees for a key: its own, else the nearest ancestor's. */
  async decision(id: string, key: string, version?: number): Promise<DecisionRecord> {
    for (const jid of this.ancestry(this.get(id).id)) {
      const d = version ? await this.store.decisions.get(jid, key, version) : await this.store.decisions.latest(jid, key);
      if (d) return d;
      if (version && (await this.store.decisions.latest(jid, key))) break;
    }
    throw notFound(`辖区 ${id} 没有决策文件 ${key}${version ? ` 版本 ${version}` : ''} (no such DMN document)`);
  }

  async form(id: string, formKey: string): Promise<FormRecord> {
    for (const jid of this.ancestry(this.get(id).id)) {
      const f = await this.store.forms.latest(jid, formKey);
      if (f) return f;
    }
    throw notFound(`辖区 ${id} 没有表单 ${formKey} (no such form)`);
  }

  /** The vocabulary in force at a jurisdiction: its own terms over its ancestors', from the tree in memory. */
  vocabulary(id: string): Record<string, string> {
    return Object.assign({}, ...this.ancestry(id).reverse().map((jid) => this.get(jid).vocabulary));
  }

  /** The parameters in force at a jurisdiction: its own over its ancestors', from the tree in memory. */
  parameters(id: string): JsonObject {
    return Object.assign({}, ...this.ancestry(id).reverse().map((jid) => this.get(jid).parameters));
  }

  /** Replaces each vocabulary term in a label shown to users (村 → 嘎查村 in Wushen Banner). */
  localize(label: string, vocabulary: Record<string, string>): string {
    // Local terms match too and map to themselves, so text already saying 嘎查村 is not made 嘎查嘎查村.
    const map = new Map<string, string>([...Object.values(vocabulary).map((v) => [v, v] as const), ...Object.entries(vocabulary)]);
    const terms = [...map.keys()].sort((a, b) => b.length - a.length);
    if (!terms.length) return label;
    const pattern = new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    return label.replace(pattern, (t) => map.get(t)!);
  }
}
