import { http, path, q } from './http';
import type { DecisionDocument, DecisionItem } from './types';

/** DMN documents (decision tables), deployed and versioned like diagrams. */
export const decisions = {
  /** The DMN documents the jurisdiction sees, own and inherited. */
  list: (jurisdiction: string) => http.get<DecisionItem[]>(`/api/decisions${q({ jurisdiction })}`),
  get: (jurisdiction: string, key: string) => http.get<DecisionDocument>(path('/api/decisions', jurisdiction, key)),
  /** A new version over baseVersion (the one last seen; 409 when someone saved meanwhile). */
  deploy: (jurisdiction: string, key: string, xml: string, baseVersion: number) =>
    http.put<DecisionItem & { decisions: DecisionDocument['decisions'] }>(path('/api/decisions', jurisdiction, key), { xml, baseVersion }),
};
