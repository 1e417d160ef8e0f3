// What a case is called: the process's summary rule, rule-set data kept in the bundle as
// `summaries: {<processKey>: {title, reporter, category, class}}`, each a FEEL expression over the
// variables (and params). A child rule set overrides its parent's rule for a process by naming it.
import { evaluateFeel } from '../feel/index.js';
import type { JsonObject } from '../json.js';
import { EMPTY_SUMMARY, type CaseSummary } from '../store/cases.js';
import type { Store } from '../store/index.js';
import type { Jurisdictions } from './jurisdictions.js';

const FIELDS = ['title', 'reporter', 'category', 'class'] as const;

export class Cases {
  constructor(private readonly jurisdictions: Jurisdictions) {}

  /** The nearest rule set (the jurisdiction, then its ancestors) whose bundle member `member` names `key`. */
  rule<T>(jurisdiction: string, member: string, key: string): T | null {
    for (const id of this.jurisdictions.ancestry(jurisdiction)) {
      const found = (this.jurisdictions.get(id).extra?.[member] as JsonObject | undefined)?.[key];
      if (found !== undefined && found !== null) return found as T;
    }
    return null;
  }

  /** The case's summary now; an expression that fails leaves its field empty (a title never stops a step). */
  summarize(jurisdiction: string, processKey: string, variables: JsonObject, params: JsonObject): CaseSummary {
    const rule = this.rule<Partial<Record<(typeof FIELDS)[number], string>>>(jurisdiction, 'summaries', processKey);
    if (!rule) return EMPTY_SUMMARY;
    const context = { ...variables, params };
    const out: CaseSummary = { ...EMPTY_SUMMARY };
    for (const field of FIELDS) {
      const expression = rule[field];
      if (typeof expression !== 'string') continue;
      try {
        const value = evaluateFeel(expression, context);
        out[field] = value === null || value === undefined || value === '' ? null : String(value).slice(0, 500);
      } catch {
        out[field] = null;
      }
    }
    return out;
  }
}

/** Case context on lists (API v1.1): each item with its case's number and title, one query per page. */
export async function withCase<T extends { instanceId: string }>(store: Store, items: T[]): Promise<(T & { no: string | null; title: string | null })[]> {
  const cases = new Map((await store.cases.byIds([...new Set(items.map((t) => t.instanceId))])).map((c) => [c.id, c]));
  return items.map((t) => ({ ...t, no: cases.get(t.instanceId)?.no ?? null, title: cases.get(t.instanceId)?.summary.title ?? null }));
}
