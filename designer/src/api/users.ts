import { http, path } from './http';
import type { Membership, User } from './types';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  memberships: Membership[];
}

/** Someone a person picker offers: the account underneath, the name people read. */
export interface Person {
  username: string;
  displayName: string;
}

export const users = {
  /** The people of a jurisdiction (holding `group` there; `below`: or under it), matching `q`, at most 20 (members only). */
  people: (jurisdiction: string, group?: string, q?: string, below?: boolean) => {
    const params = new URLSearchParams({ jurisdiction, ...(group && { group }), ...(q && { q }), ...(below && { below: 'true' }) });
    return http.get<Person[]>(`/api/users/people?${params}`);
  },
  list: () => http.get<User[] | { items: User[] }>('/api/users').then((r) => (Array.isArray(r) ? r : r.items)),
  create: (user: NewUser) => http.post<User>('/api/users', user),
  update: (username: string, change: Partial<Omit<NewUser, 'username'>>) => http.put<User>(path('/api/users', username), change),
  remove: (username: string) => http.del(path('/api/users', username)),
};
