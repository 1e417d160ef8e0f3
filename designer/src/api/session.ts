import { http } from './http';
import type { User } from './types';

export const session = {
  /** The signed-in user; 401 when nobody is. */
  current: () => http.get<{ user: User } | User>('/api/session').then((r) => ('user' in r ? r.user : r)),
  signIn: (username: string, password: string) => http.post<{ user: User }>('/api/session', { username, password }).then((r) => r.user),
  signOut: () => http.del('/api/session'),
};
