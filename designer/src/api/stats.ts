import { http, q } from './http';

export interface Count {
  key: string;
  label: string;
  count: number;
}
export interface Figures {
  total: number;
  open: number;
  closed: number;
  overdue: number;
  avgDaysToClose: number | null;
  byProcess: Count[];
  byClass: Count[];
  byCategory: Count[];
  byStatus: Count[];
}

export const stats = {
  get: (query: { jurisdiction: string; period?: string; processKey?: string }) => http.get<Figures>(`/api/stats${q({ ...query })}`),
};
