import { http, path, q, type FieldError } from './http';
import type { Definition, DefinitionVersion, ProcessItem } from './types';

export const processes = {
  /** The processes the jurisdiction sees, own and inherited. */
  list: (jurisdiction: string) => http.get<ProcessItem[]>(`/api/processes${q({ jurisdiction })}`),
  /** The latest version the jurisdiction sees, or the one asked for. */
  get: (jurisdiction: string, key: string, version?: number) => http.get<Definition>(`${path('/api/processes', jurisdiction, key)}${q({ version })}`),
  /** When its timer start next starts a case here (null: none). */
  schedule: (jurisdiction: string, key: string) => http.get<{ nextStart: string | null; every: string | null }>(path('/api/processes', jurisdiction, key, 'schedule')),
  versions: (jurisdiction: string, key: string) => http.get<DefinitionVersion[]>(path('/api/processes', jurisdiction, key, 'versions')),
  /** A new version over baseVersion (the one last seen; 409 when someone saved meanwhile); warnings: what deploys but shows otherwise (a form not found). */
  deploy: (jurisdiction: string, key: string, xml: string, baseVersion: number) =>
    http.put<ProcessItem & { warnings?: FieldError[] }>(path('/api/processes', jurisdiction, key), { xml, baseVersion }),
};
