// 转办, 委派, 加签/减签, 退回, 撤回, 抄送, 催办, 审批意见 (API.md v1.1 "Everyday task operations").
import { http, path } from './http';
import type { HistoryEntry, Instance, SignChain, SignMode, Task } from './types';

export const operations = {
  transfer: (id: string, to: string, comment: string) => http.post<Task>(path('/api/tasks', id, 'transfer'), { to, comment }),
  delegate: (id: string, to: string, comment: string) => http.post<Task>(path('/api/tasks', id, 'delegate'), { to, comment }),
  resolve: (id: string, comment: string) => http.post<Task>(path('/api/tasks', id, 'resolve'), { comment }),
  signChain: (id: string) => http.get<SignChain | null>(path('/api/tasks', id, 'sign')),
  sign: (id: string, users: string[], mode: SignMode, comment: string) => http.post<SignChain>(path('/api/tasks', id, 'sign'), { users, mode, comment }),
  refuse: (id: string, comment: string) => http.post<SignChain>(path('/api/tasks', id, 'sign', 'refuse'), { comment }),
  unsign: (id: string, username: string) => http.del(path('/api/tasks', id, 'sign', username)),
  returnable: (id: string) => http.get<{ elementId: string; name: string }[]>(path('/api/tasks', id, 'returnable')),
  sendBack: (id: string, elementId: string, comment: string) => http.post<Instance>(path('/api/tasks', id, 'return'), { elementId, comment }),
  urge: (id: string, comment: string) => http.post<{ urgedAt: string }>(path('/api/tasks', id, 'urge'), { comment }),
  withdraw: (instanceId: string, comment: string) => http.post<Instance>(path('/api/instances', instanceId, 'withdraw'), { comment }),
  copy: (instanceId: string, users: string[], comment: string) => http.post<Instance>(path('/api/instances', instanceId, 'cc'), { users, comment }),
  comment: (instanceId: string, text: string) => http.post<HistoryEntry>(path('/api/instances', instanceId, 'comments'), { text }),
};
