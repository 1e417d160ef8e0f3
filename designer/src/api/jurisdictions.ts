import { http, path } from './http';
import type { EffectiveRuleSet, Jurisdiction, JurisdictionHead } from './types';

export const jurisdictions = {
  /** The whole tree (public). */
  list: () => http.get<Jurisdiction[]>('/api/jurisdictions'),
  effective: (id: string) => http.get<EffectiveRuleSet>(path('/api/jurisdictions', id)),
  /** Creates (baseVersion 0) or updates a jurisdiction; 409 when someone saved meanwhile. */
  save: (id: string, head: JurisdictionHead) => http.put<EffectiveRuleSet>(path('/api/jurisdictions', id), head),
};
