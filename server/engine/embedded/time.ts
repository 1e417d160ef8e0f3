// Timer due times as Zeebe computes them: a duration from now, a date, or a cycle: R[n]/[start/]duration,
// or (any other text) a cron expression as Zeebe reads it (Spring's six fields, seconds first, or a macro
// such as @daily), in the server's time zone as Zeebe uses the broker's.
// Due times live in the instance state and the store, so a 90-day timer survives restarts.
import { CronExpressionParser } from 'cron-parser';
import type { TimerDef } from './model.js';

const DURATION = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export class TimeError extends Error {}

/** Adds an ISO 8601 duration to a date (years and months by the calendar, as java.time does). */
export function addDuration(from: Date, duration: string): Date {
  const m = DURATION.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) throw new TimeError(`"${duration}" 不是 ISO 8601 时长 (not an ISO 8601 duration)`);
  const sign = m[1] ? -1 : 1;
  const [y, mo, w, d, h, mi, s] = m.slice(2).map((v) => Number(v ?? 0) * sign);
  const out = new Date(from.getTime());
  if (y || mo) out.setUTCMonth(out.getUTCMonth() + mo + 12 * y);
  return new Date(out.getTime() + ((((w * 7 + d) * 24 + h) * 60 + mi) * 60 + s) * 1000);
}

/** Zeebe reads ISO 8601 date-times only ("2030-01-01T09:00:00+08:00"), where Date.parse would take more. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function parseDate(text: string): Date {
  const at = ISO_DATE_TIME.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(at)) throw new TimeError(`"${text}" 不是 ISO 8601 日期时间 (not an ISO date-time)`);
  return new Date(at);
}

export interface Due {
  dueAt: string;
  /** Cycles: repetitions left after this one (-1 = unbounded) and the interval (an ISO duration) or the cron expression. */
  repeat?: { left: number; every: string };
}

/** The macros Spring's cron (Zeebe's dialect) knows; cron-parser knows more, which Zeebe refuses. */
const CRON_MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** The first time a cron expression matches after `after`; Zeebe's cron has no end, so there always is one. */
function cronNext(expression: string, after: Date): Date {
  const text = expression.trim();
  const fields = text.split(/\s+/).length;
  if (text.startsWith('@') ? !CRON_MACROS.has(text) : fields !== 6) {
    throw new TimeError(`"${expression}" 不是有效的周期：需要 R[n]/[开始/]时长，或六段的 cron 表达式（秒 分 时 日 月 周，例如 0 0 9 * * MON-FRI） (not an ISO repeating interval nor a 6-field cron expression)`);
  }
  try {
    return CronExpressionParser.parse(text, { currentDate: after }).next().toDate();
  } catch (err) {
    throw new TimeError(`"${expression}" 不是有效的 cron 表达式: ${(err as Error).message} (invalid cron expression)`);
  }
}

/** An ISO duration starts with P (or -P); any other interval of a cycle is a cron expression. */
const isCron = (every: string) => !/^-?P/.test(every);

/** The first due time of a timer whose expression resolved to `value`. */
export function firstDue(type: TimerDef['type'], value: string, now: Date): Due {
  if (type === 'timeDuration') return { dueAt: addDuration(now, value).toISOString() };
  if (type === 'timeDate') return { dueAt: parseDate(value).toISOString() };
  // Zeebe: a cycle starting with R is a repeating interval, anything else a cron expression.
  if (!value.startsWith('R')) return { dueAt: cronNext(value, now).toISOString(), repeat: { left: -1, every: value.trim() } };
  const parts = value.split('/');
  const r = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!r || parts.length < 2 || parts.length > 3) throw new TimeError(`"${value}" 不是 R[n]/[开始/]时长 形式的周期 (not an ISO repeating interval)`);
  const every = parts[parts.length - 1]!;
  const start = parts.length === 3 ? parseDate(parts[1]!) : null;
  const dueAt = start ?? addDuration(now, every);
  const total = r[1] === '' ? -1 : Number(r[1]);
  return { dueAt: dueAt.toISOString(), repeat: { left: total < 0 ? -1 : total - 1, every } };
}

/** The next due time of a cycle after one firing, or null when its repetitions are spent. */
export function nextDue(previous: string, repeat: Due['repeat']): Due | null {
  if (!repeat || repeat.left === 0) return null;
  const after = new Date(previous);
  const dueAt = isCron(repeat.every) ? cronNext(repeat.every, after) : addDuration(after, repeat.every);
  return { dueAt: dueAt.toISOString(), repeat: { left: repeat.left < 0 ? -1 : repeat.left - 1, every: repeat.every } };
}
