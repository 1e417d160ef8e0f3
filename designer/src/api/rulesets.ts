import { http, path } from './http';
import type { RuleSetBundle } from './types';

export const ruleSets = {
  export: (jurisdiction: string) => http.get<RuleSetBundle>(path('/api/rulesets', jurisdiction)),
  import: (bundle: RuleSetBundle) => http.post<{ jurisdiction: string; processes: number; forms: number }>('/api/rulesets', bundle),
};
