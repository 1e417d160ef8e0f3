// Timer due times: durations by the calendar, dates, and cycles R[n]/[start/]interval as Zeebe reads them.
import { describe, expect, it } from 'vitest';
import { addDuration, firstDue, nextDue, TimeError } from '../../server/engine/embedded/time.js';

const at = new Date('2026-01-31T08:00:00Z');

describe('timer due times', () => {
  it('adds durations: weeks to seconds exactly, months and years by the calendar', () => {
    expect(addDuration(at, 'PT1H30M').toISOString()).toBe('2026-01-31T09:30:00.000Z');
    expect(addDuration(at, 'P1W2DT0.5S').toISOString()).toBe('2026-02-09T08:00:00.500Z');
    expect(addDuration(at, 'P1Y').toISOString()).toBe('2027-01-31T08:00:00.000Z');
    expect(addDuration(at, 'P3M').toISOString()).toBe('2026-05-01T08:00:00.000Z'); // April 31st rolls over, as Date does
    expect(addDuration(at, '-P1D').toISOString()).toBe('2026-01-30T08:00:00.000Z');
    for (const bad of ['P', 'PT', '1D', 'P1H', 'soon']) expect(() => addDuration(at, bad), bad).toThrow(TimeError);
  });

  it('reads durations, dates and cycles, and counts a cycle down', () => {
    expect(firstDue('timeDuration', 'P2D', at)).toEqual({ dueAt: '2026-02-02T08:00:00.000Z' });
    expect(firstDue('timeDate', '2026-03-01T00:00:00+08:00', at)).toEqual({ dueAt: '2026-02-28T16:00:00.000Z' });
    const cycle = firstDue('timeCycle', 'R2/PT10M', at);
    expect(cycle).toEqual({ dueAt: '2026-01-31T08:10:00.000Z', repeat: { left: 1, every: 'PT10M' } });
    const second = nextDue(cycle.dueAt, cycle.repeat)!;
    expect(second).toEqual({ dueAt: '2026-01-31T08:20:00.000Z', repeat: { left: 0, every: 'PT10M' } });
    expect(nextDue(second.dueAt, second.repeat)).toBeNull();
    const endless = firstDue('timeCycle', 'R/2026-02-01T00:00:00Z/P1D', at);
    expect(endless).toEqual({ dueAt: '2026-02-01T00:00:00.000Z', repeat: { left: -1, every: 'P1D' } });
    expect(nextDue(endless.dueAt, endless.repeat)).toEqual({ dueAt: '2026-02-02T00:00:00.000Z', repeat: { left: -1, every: 'P1D' } });
    expect(() => firstDue('timeDate', 'tomorrow', at)).toThrow(TimeError);
  });

  it('reads any other cycle as a cron expression, as Zeebe does: six fields with seconds, or a macro', () => {
    // 2026-01-31 is a Saturday; the server's zone is the test's (UTC in CI, as the broker's).
    const zone = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      const weekdays = firstDue('timeCycle', '0 30 9 * * MON-FRI', at);
      expect(weekdays).toEqual({ dueAt: '2026-02-02T09:30:00.000Z', repeat: { left: -1, every: '0 30 9 * * MON-FRI' } });
      expect(nextDue(weekdays.dueAt, weekdays.repeat)).toEqual({ dueAt: '2026-02-03T09:30:00.000Z', repeat: { left: -1, every: '0 30 9 * * MON-FRI' } });
      expect(firstDue('timeCycle', '@daily', at).dueAt).toBe('2026-02-01T00:00:00.000Z');
      expect(firstDue('timeCycle', '0 0 3 29 2 *', at).dueAt).toBe('2028-02-29T03:00:00.000Z');
      expect(firstDue('timeCycle', '*/20 * * * * *', at).dueAt).toBe('2026-01-31T08:00:20.000Z');
      // Five fields (Unix cron), macros Spring does not know, nonsense: refused, as by Zeebe.
      for (const bad of ['0 9 * * MON', '@weekdays', 'soon', 'R2/soon']) expect(() => firstDue('timeCycle', bad, at), bad).toThrow(TimeError);
    } finally {
      process.env.TZ = zone;
    }
  });
});
