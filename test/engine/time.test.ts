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
    expect(() => firstDue('timeCycle', '0 0 9 * * MON', at)).toThrow(TimeError);
    expect(() => firstDue('timeDate', 'tomorrow', at)).toThrow(TimeError);
  });
});
