// The timer tick over several instances: one that fails does not hold back the others.
import { describe, expect, it } from 'vitest';
import { Progress } from '../../server/domain/runtime/progress.js';

describe('due timers', () => {
  it('fires the other instances when one instance fails, and reports its error', async () => {
    const due = [
      { instanceId: 'broken', ref: 't1', dueAt: '2026-01-01T00:00:00Z' },
      { instanceId: 'fine', ref: 't2', dueAt: '2026-01-01T00:00:01Z' },
    ];
    const store = {
      timers: { due: async () => due },
      leases: { acquire: async () => true, release: async () => undefined },
    };
    const fired: string[] = [];
    const steps = {
      system: async (id: string) => {
        if (id === 'broken') throw new Error('definition missing');
        fired.push(id);
      },
    };
    const errors: string[] = [];
    const progress = new Progress(store as any, {} as any, steps as any, (err) => errors.push((err as Error).message));
    expect(await progress.fireDueTimers(new Date('2026-01-01T00:01:00Z'))).toBe(1);
    expect(fired).toEqual(['fine']);
    expect(errors).toEqual(['definition missing']);
  });
});
