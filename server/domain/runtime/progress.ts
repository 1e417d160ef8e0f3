// Steps nobody asked for: due timers of the embedded engine, and what a self-driven engine (Zeebe)
// did on its own, committed when it reports progress and by a sweep over idle instances.
// Every server runs this scheduler: an instance's due timers are fired by the server holding its
// timer lease (the others pass it by), and by one step at most, whose revision guard refuses a
// second firing; a server that dies mid-tick holds the lease until it lapses, then another fires.
import crypto from 'node:crypto';
import type { Engine } from '../../engine/index.js';
import { ConflictError, type Store } from '../../store/index.js';
import type { Steps } from './steps.js';

/** Syncs of one delivery that lose to other servers' steps before the feed is told to retry later. */
const SYNC_ATTEMPTS = 5;

/** How long a server may take to fire an instance's due timers before another may try. */
export const TIMER_LEASE_MS = 10_000;

export class Progress {
  private sweepCursor: string | null = null;
  /** This process, as the holder of timer leases. */
  private readonly owner = crypto.randomUUID();

  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly steps: Steps,
    private readonly onError: (err: unknown) => void = () => {},
    /** Timer start events, when the engine leaves them to us. */
    private readonly starts: { tick(now: Date): Promise<number> } | null = null,
  ) {
    // A self-driven engine (Zeebe) moves instances on its own: record what it did.
    // The engine acknowledges what it reported once this resolves, and retries when it rejects
    // (an instance not in this store is not ours: the engine drops it, nothing to log).
    engine.onProgress?.((instanceId) =>
      this.sync(instanceId).catch((err) => {
        if ((err as { status?: number }).status !== 404) onError(err);
        throw err;
      }),
    );
  }

  /**
   * Commits what a self-driven engine did by itself on one instance. A step another server committed
   * meanwhile does not end it: it syncs again over that step, so that what the engine's feed
   * acknowledges once this resolves is committed (here or there), and only then gives up (the feed
   * retries). An instance that ended meanwhile has nothing left to sync.
   */
  async sync(instanceId: string) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.steps.execute(instanceId, { type: 'sync' }, 'system', { action: 'engine.progress' });
      } catch (err) {
        if (!(err instanceof ConflictError) && (err as { status?: number }).status !== 409) throw err;
        const now = await this.store.instances.get(instanceId);
        if (!now || (now.status !== 'active' && now.status !== 'incident')) return;
        if (attempt >= SYNC_ATTEMPTS) throw err;
      }
    }
  }

  /**
   * The scheduler's tick: the embedded engine's due timers and timer starts; for a self-driven engine, a look at the
   * active instances that wait on no task here (a Zeebe timer may have ended them).
   */
  async tick(now = new Date()): Promise<number> {
    // A step another server died writing: its timers (or tasks) appear, so nothing waits on that server.
    await this.store.instances.recover();
    const started = (await this.starts?.tick(now)) ?? 0;
    if (!this.engine.selfDriven) return (await this.fireDueTimers(now)) + started;
    // One page per tick, going round all active instances over successive ticks.
    const active = await this.store.instances.list({ status: 'active', limit: 100, cursor: this.sweepCursor });
    this.sweepCursor = active.nextCursor;
    let synced = started;
    for (const i of active.items) {
      if (i.active.length) continue;
      await this.sync(i.id);
      synced++;
    }
    return synced;
  }

  /** Resumes every instance with a timer due by now; returns how many were resumed. */
  async fireDueTimers(now = new Date()): Promise<number> {
    const due = await this.store.timers.due(now.toISOString(), 100);
    const instances = [...new Set(due.map((t) => t.instanceId))];
    let fired = 0;
    for (const id of instances) {
      const key = `timers:${id}`;
      if (!(await this.store.leases.acquire(key, this.owner, now.toISOString(), new Date(now.getTime() + TIMER_LEASE_MS).toISOString()))) continue;
      try {
        const refs = due.filter((t) => t.instanceId === id).map((t) => t.ref);
        await this.steps.system(id, { type: 'fireTimers', refs }, 'timer.fire');
        fired++;
      } catch (err) {
        // One instance's failure must not hold back the others' timers: its own stay due.
        this.onError(err);
      } finally {
        await this.store.leases.release(key, this.owner);
      }
    }
    return fired;
  }
}
