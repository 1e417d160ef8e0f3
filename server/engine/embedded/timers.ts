// bpmn-engine's Timers contract, but nothing is scheduled in memory: due times live in the store
// (they come back to us as the timer waits of a Step) and the scheduler resumes the instance when
// one falls due. Node's setTimeout could not hold a 90-day timer anyway.
export interface RecordedTimer {
  owner: unknown;
  delay: number;
}

export class RecordingTimers {
  private readonly live = new Set<RecordedTimer>();

  get executing(): RecordedTimer[] {
    return [...this.live];
  }

  register(owner: unknown) {
    return {
      setTimeout: (_callback: () => void, delay: number) => this.add(owner, delay),
      clearTimeout: (ref: RecordedTimer) => this.clearTimeout(ref),
    };
  }

  setTimeout(_callback: () => void, delay: number): RecordedTimer {
    return this.add(null, delay);
  }

  clearTimeout(ref: RecordedTimer | undefined): undefined {
    if (ref) this.live.delete(ref);
    return undefined;
  }

  private add(owner: unknown, delay: number): RecordedTimer {
    const ref = { owner, delay };
    this.live.add(ref);
    return ref;
  }
}
