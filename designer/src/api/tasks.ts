import { http, path, q } from './http';
import type { Page, Task } from './types';

export interface TaskQuery {
  status?: Task['status'];
  assignee?: 'me' | 'none';
  instanceId?: string;
  /** 'me': the tasks I completed (已办). */
  completedBy?: 'me';
  /** A case number or text in the title or reporter. */
  q?: string;
  limit?: number;
}

export const tasks = {
  list: (query: TaskQuery) => http.get<Page<Task>>(`/api/tasks${q({ ...query })}`),
  get: (id: string) => http.get<Task>(path('/api/tasks', id)),
  claim: (id: string) => http.post<Task>(path('/api/tasks', id, 'claim')),
  unclaim: (id: string) => http.post<Task>(path('/api/tasks', id, 'unclaim')),
  complete: (id: string, data: Record<string, unknown>, comment?: string) => http.post<Task>(path('/api/tasks', id, 'complete'), { data, ...(comment && { comment }) }),
};
