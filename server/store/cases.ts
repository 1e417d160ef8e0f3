// Cases as officials see them: the ledger number every instance gets when it is first written, its
// summary (title, reporter, category, class) and the ledger's queries. Shared by both adapters.
import type { InstanceRecord, InstanceStatus, Page, PageQuery, TaskRecord } from './index.js';

/** What a case is called in lists and the ledger, from its process's summary rule (rule-set data). */
export interface CaseSummary {
  title: string | null;
  reporter: string | null;
  category: string | null;
  class: string | null;
}

export const EMPTY_SUMMARY: CaseSummary = { title: null, reporter: null, category: null, class: null };

/** One ledger row's raw material: an instance without its engine state. */
export type CaseRecord = Pick<InstanceRecord, 'id' | 'jurisdiction' | 'processKey' | 'status' | 'startedAt' | 'endedAt' | 'variables' | 'active'> & {
  no: string | null;
  summary: CaseSummary;
};

export interface CaseQuery extends PageQuery {
  jurisdictions: string[];
  /** Opened at or after / before (ISO instants). */
  from?: string;
  to?: string;
  status?: InstanceStatus;
  class?: string;
  category?: string;
  processKey?: string;
  /** A case number or text in the title or the reporter. */
  q?: string;
}

export interface CasesRepo {
  /** Cases newest first (by opening time). */
  list(query: CaseQuery): Promise<Page<CaseRecord>>;
  byIds(ids: string[]): Promise<CaseRecord[]>;
  /** The open tasks of these cases (current step, responsible group, due date). */
  openTasks(instanceIds: string[]): Promise<TaskRecord[]>;
}

// Officials count years and quarters on Beijing time: a case opened at 2027-01-01 07:00 local
// (still 2026 in UTC) belongs to 2027.
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export function caseYear(startedAt: string): number {
  return new Date(Date.parse(startedAt) + BEIJING_OFFSET_MS).getUTCFullYear();
}

/** The instant a Beijing-time calendar date (year, month 1-12, day) begins, as ISO. */
export function beijingStart(year: number, month: number, day = 1): string {
  return new Date(Date.UTC(year, month - 1, day) - BEIJING_OFFSET_MS).toISOString();
}

export const formatCaseNo = (year: number, seq: number) => `${year}-${String(seq).padStart(4, '0')}`;

/** Year and sequence of a number already given (a migrated instance keeps its number). */
export function parseCaseNo(no: string): { year: number; seq: number } | null {
  const m = /^(\d{4})-(\d+)$/.exec(no);
  return m ? { year: Number(m[1]), seq: Number(m[2]) } : null;
}
