import { http, path, q } from './http';
import type { Instance, Page } from './types';

export interface InstanceQuery {
  jurisdiction?: string;
  status?: string;
  processKey?: string;
  /** A case number or text in the title or reporter. */
  q?: string;
  cursor?: string | null;
  limit?: number;
}

export const instances = {
  list: (query: InstanceQuery) => http.get<Page<Instance>>(`/api/instances${q({ ...query })}`),
  get: (id: string) => http.get<Instance>(path('/api/instances', id)),
  start: (jurisdiction: string, processKey: string) => http.post<Instance>('/api/instances', { jurisdiction, processKey }),
  cancel: (id: string) => http.post<Instance>(path('/api/instances', id, 'cancel')),
  retry: (id: string) => http.post<Instance>(path('/api/instances', id, 'retry')),
};
