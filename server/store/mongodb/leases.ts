// Leases: one holder per key among every process sharing the store, until it lets go or its time
// runs out (a holder that crashed). A conditional update is not atomic on every server this store
// runs on (FerretDB lets two racing ones both match), a unique _id is: taking a lease is an insert,
// and taking over a lapsed one first inserts a marker named after the lease it ends, so of several
// servers that find the same lapsed lease only one takes it.
import type { Store } from '../index.js';
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

export { exclusive, type Exclusive } from '../exclusive.js';
