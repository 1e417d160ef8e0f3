// Lookups and store conflicts as the runtime's services answer them over HTTP.
import { conflict, notFound } from '../../errors.js';
import { ConflictError, type InstanceRecord, type Store, type TaskRecord } from '../../store/index.js';

export async function findInstance(store: Store, id: string): Promise<InstanceRecord> {
  const i = await store.instances.get(id);
  if (!i) throw notFound(`流程实例 ${id} 不存在 (no such instance)`);
  return i;
}

export async function findTask(store: Store, id: string): Promise<TaskRecord> {
  const t = await store.tasks.get(id);
  if (!t) throw notFound(`任务 ${id} 不存在 (no such task)`);
  return t;
}

/** Another writer got there first: the request is told so (409), nothing was written. */
export const conflictAsHttp = (err: unknown): never => {
  if (err instanceof ConflictError) throw conflict(err.message);
  throw err;
};
