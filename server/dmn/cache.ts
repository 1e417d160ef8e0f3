// Deployed DMN documents read once per deployed version (reading is the costly part), least
// recently used evicted first; evaluation is then a walk over the read tables.
import type { JsonObject } from '../json.js';
import { evaluateDecision } from './evaluate.js';
import { readDmn, type Drg } from './read.js';

export class DecisionCache {
  private readonly drgs = new Map<string, Promise<Drg>>();

  constructor(private readonly size = 100) {}

  /** The decision's result; throws when the document cannot run or the decision has no result. */
  async evaluate(resource: { id: string; xml: string }, decisionId: string, variables: JsonObject): Promise<unknown> {
    const drg = await this.read(resource);
    if (drg.problems.length) throw new Error(`决策文件 ${resource.id} 无法运行: ${drg.problems.map((p) => p.message).join('; ')}`);
    return evaluateDecision(drg, decisionId, variables);
  }

  clear() {
    this.drgs.clear();
  }

  private read({ id, xml }: { id: string; xml: string }): Promise<Drg> {
    let entry = this.drgs.get(id);
    if (entry) this.drgs.delete(id);
    else entry = readDmn(xml);
    this.drgs.set(id, entry);
    if (this.drgs.size > this.size) this.drgs.delete(this.drgs.keys().next().value!);
    return entry;
  }
}
