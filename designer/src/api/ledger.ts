import { http, q } from './http';

export interface LedgerQuery {
  jurisdiction: string;
  period?: string;
  status?: string;
  class?: string;
  q?: string;
}
export interface LedgerPage {
  columns: { header: string; type: 'text' | 'date' }[];
  items: { instanceId: string; no: string | null; status: string; cells: (string | null)[] }[];
  nextCursor: string | null;
}

export const ledger = {
  page: (query: LedgerQuery & { limit?: number; cursor?: string | null }) => http.get<LedgerPage>(`/api/ledger${q({ ...query })}`),
  /** Where the browser downloads the whole filtered ledger (the server streams the file). */
  fileUrl: (query: LedgerQuery, format: 'xlsx' | 'csv') => `/api/ledger${q({ ...query, format })}`,
};
