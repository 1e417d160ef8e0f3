// Serialises work per key: one command at a time on an instance.
import type { Engine } from '../../engine/index.js';
import { exclusive, type Exclusive } from '../../store/exclusive.js';
import { ConflictError, type Store } from '../../store/index.js';
import { conflict } from '../../errors.js';

/**
 * How long a server may hold an instance's commands across servers: longer than a command to the
 * broker takes with its retries and its wait for the records (~10 s); a server that died blocks the
 * instance this long.
 */
export const SHARED_LOCK_MS = 20_000;
/** How long a command waits for another server's command on the same instance before its 409. */
export const SHARED_LOCK_PATIENCE_MS = 15_000;

/** Runs `fn` alone for its key. */
export interface Lock {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Within this process. */
export class KeyedLock implements Lock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    tail.then(() => this.tails.get(key) === tail && this.tails.delete(key));
    return next;
  }
}

/**
 * Across every server sharing the store: the in-process queue first (waiters here do not poll the
 * store), then the key's lease in the store. A holder that died frees the key when its lease lapses;
 * a waiter that cannot get it within its patience is refused as a conflict (409), never run unguarded.
 */
export class SharedLock implements Lock {
  private readonly local = new KeyedLock();

  constructor(
    private readonly exclusive: Exclusive,
    private readonly patienceMs: number,
  ) {}

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      let held = false;
      return this.exclusive(`steps:${key}`, () => ((held = true), fn()), this.patienceMs).catch((err: unknown) => {
        if (!held && err instanceof ConflictError) throw conflict('该实例正在其他服务器上办理，请稍后重试 (the instance is busy on another server; try again)');
        throw err;
      });
    });
  }
}

/**
 * The lock a store's servers run an instance's steps under. A self-driven engine's command (a job
 * completed in Zeebe) cannot be taken back, so the check before it and the step after it must not
 * interleave with another server's: across servers. The embedded engine's steps change nothing
 * outside the store, whose guarded writes decide between servers: in this process.
 */
export function instanceLock(store: Store, engine: Engine): Lock {
  return engine.selfDriven ? new SharedLock(exclusive(store.leases, SHARED_LOCK_MS), SHARED_LOCK_PATIENCE_MS) : new KeyedLock();
}
