import { http, path, q } from './http';
import type { Instance, MigrationReport, Page } from './types';

export interface InstanceQuery {
  jurisdiction?: string;
  status?: string;
  processKey?: string;
  /** 'me': 我发起的. */
  startedBy?: 'me';
  /** 'me': 抄送我的. */
  copiedTo?: 'me';
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
  /** Retries an incident: the one at the element instance `ref`, or the case's first. */
  retry: (id: string, ref?: string) => http.post<Instance>(path('/api/instances', id, 'retry'), ref ? { ref } : {}),
  /** Moves running instances to another version; a dry run only says which would move. */
  migrate: (body: { jurisdiction: string; processKey: string; fromVersion: number; toVersion: number; mapping?: Record<string, string> }, dryRun: boolean) =>
    http.post<MigrationReport>(`/api/instances/migrate${q({ dryRun: dryRun || undefined })}`, body),
};
