import { http, path, q } from './http';
import type { Notification, Page } from './types';

export const notifications = {
  list: (opts: { unread?: boolean; limit?: number } = {}) => http.get<Page<Notification>>(`/api/notifications${q({ unread: opts.unread || undefined, limit: opts.limit })}`),
  read: (id: string) => http.post<{ id: string; read: true }>(`${path('/api/notifications', id)}/read`),
};
