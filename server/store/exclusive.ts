// Critical sections over the store's leases (Store['leases']): one holder per key among every
// process sharing the store, whatever the store.
import crypto from 'node:crypto';
import { ConflictError, type Store } from './index.js';

/** Runs critical sections one at a time per key across processes; waits (up to `patienceMs`) while another holds the key. */
export type Exclusive = <T>(key: string, fn: () => Promise<T>, patienceMs?: number) => Promise<T>;

/**
 * A critical section holds its key's lease for at most `leaseMs` (the store's guarded writes take
 * milliseconds; a crashed holder blocks the key that long). One that cannot get the lease within
 * its patience (by default twice that) is refused as a conflict, never run unguarded.
 */
export function exclusive(leases: Store['leases'], leaseMs: number): Exclusive {
  return async (key, fn, patienceMs = 2 * leaseMs) => {
    const owner = crypto.randomUUID();
    const giveUp = Date.now() + patienceMs;
    for (let wait = 2; ; wait = Math.min(wait * 2, 100)) {
      const now = Date.now();
      if (await leases.acquire(key, owner, new Date(now).toISOString(), new Date(now + leaseMs).toISOString())) break;
      if (now > giveUp) throw new ConflictError(`${key} is busy`);
      await new Promise((r) => setTimeout(r, wait * (0.5 + Math.random())));
    }
    try {
      return await fn();
    } finally {
      await leases.release(key, owner);
    }
  };
}
