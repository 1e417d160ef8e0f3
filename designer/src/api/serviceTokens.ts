import { http, path } from './http';

/** A bearer token for external job workers (the token itself only in the answer that issues it). */
export interface ServiceToken {
  id: string;
  name: string;
  jurisdictions: string[];
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

export const serviceTokens = {
  list: () => http.get<ServiceToken[]>('/api/service-tokens'),
  issue: (name: string, jurisdictions: string[]) => http.post<ServiceToken & { token: string }>('/api/service-tokens', { name, jurisdictions }),
  revoke: (id: string) => http.del(path('/api/service-tokens', id)),
};
