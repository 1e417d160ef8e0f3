import { http, path } from './http';
import type { Membership, User } from './types';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  memberships: Membership[];
}

export const users = {
  list: () => http.get<User[] | { items: User[] }>('/api/users').then((r) => (Array.isArray(r) ? r : r.items)),
  create: (user: NewUser) => http.post<User>('/api/users', user),
  update: (username: string, change: Partial<Omit<NewUser, 'username'>>) => http.put<User>(path('/api/users', username), change),
  remove: (username: string) => http.del(path('/api/users', username)),
};
