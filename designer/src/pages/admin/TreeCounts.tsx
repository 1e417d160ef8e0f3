// What each jurisdiction of the 管理 tree holds: its own processes and forms, its open cases, and
// who administers it — read from the existing API (rule set, instances, users) when the tree shows.
import { useEffect, useState } from 'react';
import { api, type Jurisdiction, type User } from '../../api';
import { useT } from '../../i18n';

/** Open cases are counted up to this many; more shows as "100+". */
const OPEN_LIMIT = 100;

export interface Counts {
  processes: number;
  forms: number;
  open: string;
  admins: string[];
}

async function countsOf(id: string, users: User[]): Promise<Counts> {
  const [rules, open] = await Promise.all([api.jurisdictions.effective(id), api.instances.list({ jurisdiction: id, status: 'active', limit: OPEN_LIMIT })]);
  // The list covers the jurisdiction's descendants too: count its own cases only.
  const own = open.items.filter((i) => i.jurisdiction === id).length;
  return {
    processes: rules.processes.filter((p) => p.definedAt === id).length,
    forms: rules.forms.filter((f) => f.definedAt === id).length,
    open: open.nextCursor ? `${own}+` : String(own),
    admins: users.filter((u) => u.memberships.some((m) => m.jurisdiction === id && m.roles.includes('admin'))).map((u) => u.displayName),
  };
}

/** Counts per jurisdiction id, filled in as they arrive; a jurisdiction that cannot be read stays out. */
export function useTreeCounts(all: Jurisdiction[] | undefined): Record<string, Counts> {
  const [counts, setCounts] = useState<Record<string, Counts>>({});
  const ids = (all ?? []).map((j) => j.id).join(',');
  useEffect(() => {
    if (!ids) return;
    let gone = false;
    void api.users.list().catch(() => [] as User[]).then((users) =>
      Promise.all(ids.split(',').map((id) => countsOf(id, users).then((c) => gone || setCounts((s) => ({ ...s, [id]: c })), () => undefined))),
    );
    return () => {
      gone = true;
    };
  }, [ids]);
  return counts;
}

export function TreeCounts({ counts }: { counts?: Counts }) {
  const t = useT();
  if (!counts) return null;
  return (
    <span className="tree-counts">
      {t('processes')} {counts.processes} · {t('forms')} {counts.forms} · {t('openCases')} {counts.open} · {t('administrators')}：{counts.admins.join('、') || t('none')}
    </span>
  );
}
