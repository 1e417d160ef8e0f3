// Statistics for a period (seed 003's quarterly 梳理 and 清单汇总): cases opened in the period by
// process, class, category and status, how many are overdue now, and the average days to close.
import { badRequest } from '../errors.js';
import type { InstanceStatus, Store } from '../store/index.js';
import type { Access, SessionUser } from './access.js';
import type { Jurisdictions } from './jurisdictions.js';
import { STATUS_LABELS } from './ledger.js';
import { parsePeriod, quarterOf } from './periods.js';

const DAY_MS = 86_400_000;
const PAGE = 1000;

export interface Count {
  key: string;
  label: string;
  count: number;
}

export interface Figures {
  jurisdiction: string;
  period: string;
  from: string;
  to: string;
  total: number;
  /** Not closed yet (active or stopped by an incident). */
  open: number;
  closed: number;
  /** Cases with an open task past its due date, now. */
  overdue: number;
  /** Mean days from opening to completion of the cases completed, one decimal; null when none. */
  avgDaysToClose: number | null;
  byProcess: Count[];
  byClass: Count[];
  byCategory: Count[];
  byStatus: Count[];
}

/** Counts in descending order, each with the label a person reads. */
function counted(map: Map<string, number>, label: (key: string) => string = (k) => k): Count[] {
  return [...map].map(([key, count]) => ({ key, label: label(key), count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

const bump = (map: Map<string, number>, key: string | null) => key !== null && map.set(key, (map.get(key) ?? 0) + 1);

export class Stats {
  constructor(
    private readonly store: Store,
    private readonly jurisdictions: Jurisdictions,
    private readonly access: Access,
  ) {}

  /** The figures of the cases opened in the period (default: this quarter), of one process when asked. */
  async figures(user: SessionUser, jurisdiction: string | undefined, periodText = quarterOf(new Date().toISOString()), processKey?: string): Promise<Figures> {
    if (!jurisdiction) throw badRequest('缺少 jurisdiction (辖区)', [{ path: 'jurisdiction', message: 'required' }]);
    this.jurisdictions.get(jurisdiction);
    this.access.requireMember(user, jurisdiction);
    const period = parsePeriod(periodText);
    if (!period) throw badRequest('period 应为季度（2026Q4）、月份（2026-11）或年份（2026）', [{ path: 'period', message: 'not a period' }]);
    const scope = this.jurisdictions.descendants(jurisdiction);
    const overdue = await this.overdueCases(scope);
    const by = { process: new Map<string, number>(), class: new Map<string, number>(), category: new Map<string, number>(), status: new Map<string, number>() };
    let total = 0;
    let overdueCount = 0;
    let closedDays = 0;
    let closedCount = 0;
    let cursor: string | null = null;
    do {
      const page = await this.store.cases.list({ jurisdictions: scope, from: period.from, to: period.to, processKey, limit: PAGE, cursor });
      for (const c of page.items) {
        total++;
        bump(by.process, c.processKey);
        bump(by.class, c.summary.class);
        bump(by.category, c.summary.category);
        bump(by.status, c.status);
        if (overdue.has(c.id)) overdueCount++;
        if (c.status === 'completed' && c.endedAt) {
          closedDays += (Date.parse(c.endedAt) - Date.parse(c.startedAt)) / DAY_MS;
          closedCount++;
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    const names = new Map((await this.jurisdictions.effective(jurisdiction)).processes.map((p) => [p.key, p.name]));
    const status = (s: InstanceStatus) => by.status.get(s) ?? 0;
    return {
      jurisdiction, period: periodText, ...period, total,
      open: status('active') + status('incident'),
      closed: status('completed'),
      overdue: overdueCount,
      avgDaysToClose: closedCount ? Math.round((closedDays / closedCount) * 10) / 10 : null,
      byProcess: counted(by.process, (k) => names.get(k) ?? k),
      byClass: counted(by.class),
      byCategory: counted(by.category),
      byStatus: counted(by.status, (k) => STATUS_LABELS[k as InstanceStatus] ?? k),
    };
  }

  /** Ids of the cases with an open task past due now. */
  private async overdueCases(jurisdictions: string[]): Promise<Set<string>> {
    const ids = new Set<string>();
    const now = new Date().toISOString();
    let cursor: string | null = null;
    do {
      const page = await this.store.tasks.list({ jurisdictions, status: 'open', overdueAt: now, limit: PAGE, cursor });
      for (const t of page.items) ids.add(t.instanceId);
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }
}
