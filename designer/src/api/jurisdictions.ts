import { http, path } from './http';
import type { EffectiveRuleSet, Jurisdiction } from './types';

export const jurisdictions = {
  /** The whole tree (public). */
  list: () => http.get<Jurisdiction[]>('/api/jurisdictions'),
  effective: (id: string) => http.get<EffectiveRuleSet>(path('/api/jurisdictions', id)),
};
