// Leases: one holder per key among every process sharing the store, until it lets go or its time
// runs out (a holder that crashed). A conditional update is not atomic on every server this store
// runs on (FerretDB lets two racing ones both match), a unique _id is: taking a lease is an insert,
// and taking over a lapsed one first inserts a marker named after the lease it ends, so of several
// servers that find the same lapsed lease only one takes it.
import crypto from 'node:crypto';
import { ConflictError, type Store } from '../index.js';
import { inserted } from './rows.js';
import type { Collections } from './schema.js';

export function leasesRepository({ leases }: Collections): Store['leases'] {
  return {
    async acquire(key, owner, now, until) {
      if (await inserted(leases.insertOne({ _id: key, owner, until }))) return true;
      const held = await leases.findOne({ _id: key });
      if (!held || held.until > now) return false;
      if (!(await inserted(leases.insertOne({ _id: `${key}@${held.owner}@${held.until}`, endedAt: now })))) return false;
      const res = await leases.replaceOne({ _id: key, owner: held.owner, until: held.until }, { owner, until });
      return res.matchedCount === 1;
    },
    async release(key, owner) {
      await leases.deleteOne({ _id: key, owner });
    },
  };
}

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
