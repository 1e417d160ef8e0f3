// The durable timer scheduler: due times live in the store, so a timer that fell due while the
// server was down fires at the first tick after start, and the others keep their due time.
// With a self-driven engine (Zeebe keeps its own timers) the tick looks for instances that ended.

/** Something the scheduler runs over and over: the engine's progress, the due-task watch, the outbox. */
export interface Ticker {
  tick(): Promise<unknown>;
}

export class TimerScheduler {
  private handle: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly progress: Ticker,
    private readonly pollMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start() {
    if (this.handle) return;
    const tick = () => {
      this.running = this.progress
        .tick()
        .then(() => undefined, this.onError)
        .finally(() => {
          this.running = null;
          if (this.handle) this.handle = setTimeout(tick, this.pollMs);
        });
    };
    this.handle = setTimeout(tick, 0);
  }

  async stop() {
    if (this.handle) clearTimeout(this.handle);
    this.handle = null;
    await this.running;
  }
}
