// A form that asks for it (rule-set data `prefill: {stats: {processKey?, fields: {field: figure}}}`)
// starts filled with the statistics of the quarter its task opened in, e.g. the quarterly ledger
// review's 未办结事项数; the official still checks and submits it.
import { useEffect, useState } from 'react';
import { api, type Task } from '../api';

/** The quarter (Beijing time) an instant falls in, e.g. 2026Q4. */
export const quarterOf = (at: Date | string) => {
  const local = new Date(new Date(at).getTime() + 8 * 3600_000);
  return `${local.getUTCFullYear()}Q${Math.floor(local.getUTCMonth() / 3) + 1}`;
};

export function usePrefill(task: Task | undefined): Record<string, unknown> | null {
  const [data, setData] = useState<Record<string, unknown> | null>(null);
  const wish = task?.status === 'open' && !task.data ? task.form?.prefill?.stats : undefined;
  useEffect(() => {
    setData(null);
    if (!task || !wish) return;
    let gone = false;
    api.stats
      .get({ jurisdiction: task.jurisdiction, period: quarterOf(task.createdAt), processKey: wish.processKey })
      .then((figures) => gone || setData(Object.fromEntries(Object.entries(wish.fields).map(([field, figure]) => [field, (figures as unknown as Record<string, unknown>)[figure]]))))
      // Without figures the form simply starts empty.
      .catch(() => undefined);
    return () => {
      gone = true;
    };
  }, [task?.id, wish]);
  return data;
}
