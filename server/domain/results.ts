// The public results page: what finished cases published, readable by anyone.
import type { PageQuery, Store } from '../store/index.js';
import type { Jurisdictions } from './jurisdictions.js';

export class PublishedResults {
  constructor(
    private readonly store: Store,
    private readonly jurisdictions: Jurisdictions,
  ) {}

  /** Results of the jurisdiction and its descendants, or of all; each with the titles of its fields. */
  async list(jurisdiction: string | undefined, page: PageQuery) {
    const ids = jurisdiction ? (this.jurisdictions.get(jurisdiction), this.jurisdictions.descendants(jurisdiction)) : this.jurisdictions.list().map((j) => j.id);
    const results = await this.store.results.list(ids, page);
    const labels = new Map<string, Promise<Record<string, string>>>();
    const labelsOf = (j: string) => labels.get(j) ?? (labels.set(j, this.fieldTitles(j)), labels.get(j)!);
    return {
      ...results,
      items: await Promise.all(results.items.map(async (r) => ({ ...r, jurisdictionName: this.jurisdictions.get(r.jurisdiction).name, labels: await labelsOf(r.jurisdiction) }))),
    };
  }

  /** Field name → title over the forms the jurisdiction sees (its own wording), so a resident reads 议题, not topic. */
  private async fieldTitles(jurisdiction: string): Promise<Record<string, string>> {
    const effective = await this.jurisdictions.effective(jurisdiction);
    const titles: Record<string, string> = {};
    for (const f of effective.forms) {
      const form = await this.jurisdictions.form(jurisdiction, f.formKey);
      const props = (form.doc.schema.properties ?? {}) as Record<string, { title?: unknown }>;
      for (const [name, p] of Object.entries(props)) {
        if (!(name in titles) && typeof p?.title === 'string') titles[name] = this.jurisdictions.localize(p.title, effective.vocabulary);
      }
    }
    return titles;
  }
}
