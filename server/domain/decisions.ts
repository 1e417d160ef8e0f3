// DMN documents (decision requirements graphs) deployed beside the diagrams: the deploy check that
// single deploys and rule-set imports share, and the lookup business rule tasks use: at a
// jurisdiction, the nearest level holding the decision id wins, its latest version (Zeebe: latest).
import type { DecisionLookup } from '../engine/index.js';
import type { FieldProblem } from '../errors.js';
import { readDmn } from '../dmn/read.js';
import type { DecisionRecord, Store } from '../store/index.js';
import type { Jurisdictions } from './jurisdictions.js';

export interface DecisionDocument {
  problems: FieldProblem[];
  name: string | null;
  /** The decisions it holds, in document order. */
  decisions: { id: string; name: string }[];
}

/** Whether a DMN text can be deployed under `key` (its definitions id); `path` names the text in the request. */
export async function checkDecisionDocument(xml: unknown, key: string, path: string): Promise<DecisionDocument> {
  if (typeof xml !== 'string' || !xml.trim()) return { problems: [{ path, message: 'DMN 文本不能为空 (xml must be a DMN document)' }], name: null, decisions: [] };
  const drg = await readDmn(xml);
  const problems = drg.problems.map((p) => ({ path: `${path}${p.elementId ? `#${p.elementId}` : ''}`, message: p.message }));
  if (!problems.length && drg.id !== key) problems.push({ path, message: `DMN 的 definitions id 应为 ${key}，实际为 ${drg.id || '（空）'} (definitions id must be the key)` });
  return { problems, name: drg.name || drg.id, decisions: [...drg.decisions.values()].map((d) => ({ id: d.id, name: d.name })) };
}

/** Decision ids per stored document version (a version never changes, so each is read once). */
export class DecisionIndex {
  private readonly ids = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly store: Store,
    private readonly jurisdictions: Jurisdictions,
  ) {}

  /** What business rule tasks of an instance at the jurisdiction evaluate. */
  lookup(jurisdiction: string): DecisionLookup {
    return async (decisionId) => {
      for (const jid of this.jurisdictions.ancestry(jurisdiction)) {
        for (const doc of await this.store.decisions.listLatest(jid)) {
          if ((await this.idsOf(doc)).has(decisionId)) return { id: `${doc.jurisdiction}/${doc.key}/${doc.version}`, xml: doc.xml };
        }
      }
      return null;
    };
  }

  private idsOf(doc: DecisionRecord): Promise<Set<string>> {
    const key = `${doc.jurisdiction}/${doc.key}/${doc.version}`;
    let ids = this.ids.get(key);
    if (!ids) {
      ids = readDmn(doc.xml).then((drg) => new Set(drg.decisions.keys()));
      if (this.ids.size >= 1000) this.ids.clear();
      this.ids.set(key, ids);
    }
    return ids;
  }
}
