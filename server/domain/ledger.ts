// 台账: one row per case of a jurisdiction and its descendants (seed 003's 三事清单登记簿: 日期、事项、
// 归口、反映单位（个人）、联系方式, plus status, current step, responsible group, due and closed dates).
// Which columns a jurisdiction's ledger shows is rule-set data: `ledger: {columns: [{header, value,
// type?, width?}]}`, `value` naming a row field or `variables.<name>`; the nearest rule set naming
// columns wins, else DEFAULT_COLUMNS.
import { badRequest } from '../errors.js';
import type { JsonObject } from '../json.js';
import type { CaseQuery, CaseRecord } from '../store/cases.js';
import type { InstanceStatus, Store, TaskRecord } from '../store/index.js';
import type { Access, SessionUser } from './access.js';
import type { Cases } from './cases.js';
import type { Jurisdictions } from './jurisdictions.js';
import { periodRange } from './periods.js';

export interface LedgerColumn {
  header: string;
  value: string;
  type?: 'text' | 'date';
  width?: number;
}

export interface LedgerRow {
  no: string | null;
  instanceId: string;
  jurisdiction: string;
  processKey: string;
  title: string | null;
  reporter: string | null;
  category: string | null;
  class: string | null;
  status: InstanceStatus;
  currentStep: string | null;
  group: string | null;
  due: string | null;
  openedAt: string;
  closedAt: string | null;
  /** The ledger's columns for this row, in order (what the page and the exports show). */
  cells: (string | null)[];
}

export const DEFAULT_COLUMNS: LedgerColumn[] = [
  { header: '编号', value: 'no', width: 11 },
  { header: '日期', value: 'openedAt', type: 'date', width: 12 },
  { header: '事项', value: 'title', width: 40 },
  { header: '类别', value: 'category', width: 16 },
  { header: '反映单位（个人）', value: 'reporter', width: 16 },
  { header: '状态', value: 'statusLabel', width: 8 },
  { header: '当前环节', value: 'currentStep', width: 18 },
  { header: '责任组', value: 'group', width: 18 },
  { header: '办理期限', value: 'due', type: 'date', width: 12 },
  { header: '办结日期', value: 'closedAt', type: 'date', width: 12 },
];

export const STATUS_LABELS: Record<InstanceStatus, string> = { active: '进行中', completed: '已办结', cancelled: '已取消', incident: '故障' };
const STATUSES = Object.keys(STATUS_LABELS);

export interface LedgerQuery {
  jurisdiction?: string;
  from?: string;
  to?: string;
  period?: string;
  status?: string;
  class?: string;
  category?: string;
  processKey?: string;
  q?: string;
}

/** Per jurisdiction: its groups' labels and its vocabulary applied to step names (each name once). */
type LabelCache = Map<string, { groups: Record<string, string>; localize: (text: string) => string }>;

export class Ledger {
  constructor(
    private readonly store: Store,
    private readonly jurisdictions: Jurisdictions,
    private readonly access: Access,
    private readonly cases: Cases,
  ) {}

  columns(jurisdiction: string): LedgerColumn[] {
    return this.cases.rule<LedgerColumn[]>(jurisdiction, 'ledger', 'columns') ?? DEFAULT_COLUMNS;
  }

  /** The store query a ledger request asks for, after the role check: members of the jurisdiction or an ancestor. */
  scope(user: SessionUser, q: LedgerQuery): Omit<CaseQuery, 'limit' | 'cursor'> & { jurisdiction: string } {
    if (!q.jurisdiction) throw badRequest('缺少 jurisdiction (辖区)', [{ path: 'jurisdiction', message: 'required' }]);
    this.jurisdictions.get(q.jurisdiction);
    this.access.requireMember(user, q.jurisdiction);
    if (q.status && !STATUSES.includes(q.status)) throw badRequest(`status 应为 ${STATUSES.join('|')}`, [{ path: 'status', message: `one of ${STATUSES.join(', ')}` }]);
    return {
      jurisdiction: q.jurisdiction,
      jurisdictions: this.jurisdictions.descendants(q.jurisdiction),
      ...periodRange(q),
      status: q.status as InstanceStatus | undefined,
      class: q.class || undefined,
      category: q.category || undefined,
      processKey: q.processKey || undefined,
      q: q.q?.trim() || undefined,
    };
  }

  async page(user: SessionUser, q: LedgerQuery, paging: { limit: number; cursor: string | null }) {
    const scope = this.scope(user, q);
    const columns = this.columns(scope.jurisdiction);
    const page = await this.store.cases.list({ ...scope, ...paging });
    return { columns: columns.map(({ header, type }) => ({ header, type: type ?? 'text' })), items: await this.rows(page.items, columns, new Map()), nextCursor: page.nextCursor };
  }

  /** Every row of the query, a store page at a time (exports). */
  async *all(user: SessionUser, q: LedgerQuery): AsyncGenerator<{ columns: LedgerColumn[]; rows: LedgerRow[] }> {
    const scope = this.scope(user, q);
    const columns = this.columns(scope.jurisdiction);
    const labels: LabelCache = new Map();
    let cursor: string | null = null;
    do {
      const page = await this.store.cases.list({ ...scope, limit: 1000, cursor });
      yield { columns, rows: await this.rows(page.items, columns, labels) };
      cursor = page.nextCursor;
    } while (cursor);
  }

  /** Ledger rows of these cases; `labels` keeps each jurisdiction's group labels and vocabulary across pages. */
  private async rows(cases: CaseRecord[], columns: LedgerColumn[], labels: LabelCache): Promise<LedgerRow[]> {
    const open = new Map<string, TaskRecord[]>();
    for (const t of await this.store.cases.openTasks(cases.map((c) => c.id))) open.set(t.instanceId, [...(open.get(t.instanceId) ?? []), t]);
    for (const j of new Set(cases.map((c) => c.jurisdiction))) {
      if (labels.has(j)) continue;
      const { groups, vocabulary } = await this.jurisdictions.effective(j);
      const localized = new Map<string, string>();
      const localize = (text: string) => localized.get(text) ?? localized.set(text, this.jurisdictions.localize(text, vocabulary)).get(text)!;
      labels.set(j, { groups, localize });
    }
    return cases.map((c) => {
      const tasks = open.get(c.id) ?? [];
      const { groups, localize } = labels.get(c.jurisdiction)!;
      const due = tasks.map((t) => t.due).filter((d): d is string => !!d).sort()[0] ?? null;
      const row: Omit<LedgerRow, 'cells'> = {
        no: c.no,
        instanceId: c.id,
        jurisdiction: c.jurisdiction,
        processKey: c.processKey,
        ...c.summary,
        status: c.status,
        currentStep: c.active.map((a) => localize(a.name || a.elementId)).join('、') || null,
        group: [...new Set(tasks.flatMap((t) => t.candidateGroups))].map((g) => groups[g] ?? g).join('、') || null,
        due,
        openedAt: c.startedAt,
        closedAt: c.status === 'completed' || c.status === 'cancelled' ? c.endedAt : null,
      };
      return { ...row, cells: columns.map((col) => cell(col.value, row, c.variables)) };
    });
  }
}

function cell(value: string, row: Omit<LedgerRow, 'cells'>, variables: JsonObject): string | null {
  const raw: unknown = value.startsWith('variables.')
    ? value.slice('variables.'.length).split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as JsonObject)[k] : undefined), variables)
    : value === 'statusLabel'
      ? STATUS_LABELS[row.status]
      : (row as Record<string, unknown>)[value];
  if (raw === undefined || raw === null || raw === '') return null;
  if (Array.isArray(raw)) return raw.join('、');
  return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
}
