// The public results page: what finished cases published, readable by anyone.
import type { PageQuery, Store } from '../store/index.js';
import type { Jurisdictions } from './jurisdictions.js';

export class PublishedResults {
  constructor(
    private readonly store: Store,
    private readonly jurisdictions: Jurisdictions,
  ) {}

  /** Results of the jurisdiction and its descendants, or of all. */
  async list(jurisdiction: string | undefined, page: PageQuery) {
    const ids = jurisdiction ? (this.jurisdictions.get(jurisdiction), this.jurisdictions.descendants(jurisdiction)) : this.jurisdictions.list().map((j) => j.id);
    return this.store.results.list(ids, page);
  }
}
