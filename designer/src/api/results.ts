import { http, q } from './http';
import type { Page, PublishedResult } from './types';

export const publicResults = {
  list: (query: { jurisdiction?: string; limit?: number }) => http.get<Page<PublishedResult>>(`/api/public/results${q({ ...query })}`),
};
