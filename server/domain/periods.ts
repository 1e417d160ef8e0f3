// Reporting periods as officials name them (2026Q4, 2026, 2026-11, 2026-11-05), on Beijing time.
import { badRequest } from '../errors.js';
import { beijingStart } from '../store/cases.js';

export interface Period {
  /** First instant inside, first instant after (ISO). */
  from: string;
  to: string;
}

/** A quarter (2026Q4), a year (2026), a month (2026-11) or a day (2026-11-05); null when the text is none of those. */
export function parsePeriod(text: string): Period | null {
  let m = /^(\d{4})Q([1-4])$/.exec(text);
  if (m) {
    const [y, q] = [Number(m[1]), Number(m[2])];
    return { from: beijingStart(y, q * 3 - 2), to: q === 4 ? beijingStart(y + 1, 1) : beijingStart(y, q * 3 + 1) };
  }
  if ((m = /^(\d{4})$/.exec(text))) return { from: beijingStart(Number(m[1]), 1), to: beijingStart(Number(m[1]) + 1, 1) };
  if ((m = /^(\d{4})-(\d{2})$/.exec(text))) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    if (mo < 1 || mo > 12) return null;
    return { from: beijingStart(y, mo), to: mo === 12 ? beijingStart(y + 1, 1) : beijingStart(y, mo + 1) };
  }
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text))) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const from = beijingStart(y, mo, d);
    if (Number.isNaN(Date.parse(from)) || new Date(Date.parse(from) + 8 * 3600_000).getUTCDate() !== d) return null;
    return { from, to: new Date(Date.parse(from) + 86_400_000).toISOString() };
  }
  return null;
}

/** The quarter an instant falls in (Beijing time), e.g. 2026Q4. */
export function quarterOf(iso: string): string {
  const local = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${local.getUTCFullYear()}Q${Math.floor(local.getUTCMonth() / 3) + 1}`;
}

/** The span from `from`'s period start to `to`'s period end, either optional; 400 naming the bad parameter. */
export function periodRange(params: { from?: string; to?: string; period?: string }): Partial<Period> {
  const read = (name: 'from' | 'to' | 'period') => {
    const text = params[name];
    if (!text) return null;
    const p = parsePeriod(text);
    if (!p) throw badRequest(`${name} 应为日期（2026-11-05）、月份（2026-11）、季度（2026Q4）或年份（2026）`, [{ path: name, message: 'not a period' }]);
    return p;
  };
  const period = read('period');
  const from = read('from');
  const to = read('to');
  return { from: from?.from ?? period?.from, to: to?.to ?? period?.to };
}
