// Pulls Zeebe's records from the Yishi exporter (exporter/, one HTTP endpoint per broker) and
// acknowledges a record only after the step that applied it was committed: delivery is
// at-least-once, and the mirror skips what an instance's state has already applied. Each feed pulls
// under a consumer id of its own: several servers on one store each get every record (each needs
// those of its own commands), and the exporter forgets a record only once all of them acknowledged it.
import crypto from 'node:crypto';
import type { ZeebeRecord } from './mirror.js';

/**
 * What to do with an instance that has new records; resolves once they are committed (or not ours),
 * or with 'wait' when they cannot be applied before more of the instance's records arrive: they
 * stay unacknowledged and are delivered again with those.
 */
export type Deliver = (instanceId: string) => Promise<void | 'wait'>;

const POLL_WAIT_MS = 1000;
const RETRY_MS = 1000;

interface Held {
  record: ZeebeRecord;
  source: Source;
}

/** One exporter endpoint: its read cursor and what it delivered that is not yet committed. */
class Source {
  /** Highest position received, per partition. */
  readonly received = new Map<number, number>();
  /** Positions received and not yet committed, per partition. */
  readonly open = new Map<number, Set<number>>();
  down = false;

  constructor(
    readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly consumer: string,
  ) {}

  take(r: ZeebeRecord): boolean {
    if (r.position <= (this.received.get(r.partition) ?? -1)) return false;
    this.received.set(r.partition, r.position);
    let open = this.open.get(r.partition);
    if (!open) this.open.set(r.partition, (open = new Set()));
    open.add(r.position);
    return true;
  }

  done(r: ZeebeRecord) {
    this.open.get(r.partition)?.delete(r.position);
  }

  /**
   * Tells the exporter how far everything is committed. Sent again each time, not only when it
   * grew: an exporter that restarted with the broker holds again what the old one was told.
   */
  async acknowledge() {
    const pairs: string[] = [];
    for (const [partition, received] of this.received) {
      const open = this.open.get(partition);
      pairs.push(`${partition}:${open?.size ? Math.min(...open) - 1 : received}`);
    }
    if (pairs.length) await fetch(`${this.url}/ack?positions=${pairs.join(',')}&consumer=${this.consumer}`, { method: 'POST', headers: this.headers, signal: AbortSignal.timeout(5000) }).catch(() => null);
  }

  pull(wait: number) {
    return fetch(`${this.url}/records?wait=${wait}&max=500&after=${this.cursor()}&consumer=${this.consumer}`, { headers: this.headers, signal: AbortSignal.timeout(wait + 5000) });
  }

  private cursor() {
    return [...this.received].map(([p, pos]) => `${p}:${pos}`).join(',');
  }
}

export class RecordFeed {
  private readonly journals = new Map<string, Held[]>();
  private readonly sources: Source[];
  private readonly delivering = new Set<string>();
  private readonly again = new Set<string>();
  private stopped = false;
  private readonly loops: Promise<void>[];

  constructor(
    urls: string[],
    token: string,
    private readonly deliver: Deliver,
    private readonly log: (message: string) => void,
  ) {
    const consumer = crypto.randomUUID();
    this.sources = urls.map((u) => new Source(u.replace(/\/+$/, ''), { authorization: `Bearer ${token}` }, consumer));
    this.loops = this.sources.map((s) => this.poll(s));
  }

  /** The records received for an instance and not yet pruned, in log order per partition. */
  records(instanceId: string): ZeebeRecord[] {
    return (this.journals.get(instanceId) ?? []).map((h) => h.record);
  }

  /** Forgets the records a committed state has applied: they may be acknowledged. */
  prune(instanceId: string, applied: (r: ZeebeRecord) => boolean) {
    const journal = this.journals.get(instanceId) ?? [];
    for (const h of journal) if (applied(h.record)) h.source.done(h.record);
    const left = journal.filter((h) => !applied(h.record));
    if (left.length) this.journals.set(instanceId, left);
    else this.journals.delete(instanceId);
  }

  /** Forgets an instance that has ended here: what Zeebe still says about it changes nothing. */
  forget(instanceId: string) {
    this.prune(instanceId, () => true);
  }

  /** The exporters whose last pull failed. */
  unreachable(): string[] {
    return this.sources.filter((s) => s.down).map((s) => s.url);
  }

  async close() {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async poll(source: Source) {
    while (!this.stopped) {
      try {
        const res = await source.pull(POLL_WAIT_MS);
        if (res.status === 401) throw new Error('HTTP 401: the exporter refused ZEEBE_EXPORTER_TOKEN');
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const { records } = (await res.json()) as { records: ZeebeRecord[] };
        if (source.down) this.log(`zeebe: exporter ${source.url} reachable again`);
        source.down = false;
        const touched = new Set<string>();
        for (const record of records) {
          if (!source.take(record)) continue;
          const journal = this.journals.get(record.yishiInstanceId) ?? [];
          journal.push({ record, source });
          this.journals.set(record.yishiInstanceId, journal);
          touched.add(record.yishiInstanceId);
        }
        for (const id of touched) this.notify(id);
        await source.acknowledge();
      } catch (err) {
        if (!source.down) this.log(`zeebe: exporter ${source.url} unreachable (${(err as Error).message}); retrying every ${RETRY_MS} ms`);
        source.down = true;
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  /** One delivery per instance at a time; records arriving meanwhile get another. */
  private notify(instanceId: string) {
    if (this.delivering.has(instanceId)) return void this.again.add(instanceId);
    this.delivering.add(instanceId);
    const batch = [...(this.journals.get(instanceId) ?? [])];
    this.deliver(instanceId).then(
      (outcome) => {
        if (outcome === 'wait') return this.finish(instanceId, []);
        for (const h of batch) h.source.done(h.record);
        this.finish(instanceId, batch.map((h) => h.source));
      },
      (err) => {
        this.log(`zeebe: records of instance ${instanceId} not applied yet (${(err as Error).message}); retrying`);
        setTimeout(() => this.again.add(instanceId) && this.finish(instanceId, []), RETRY_MS);
      },
    );
  }

  private finish(instanceId: string, sources: Source[]) {
    this.delivering.delete(instanceId);
    for (const s of new Set(sources)) void s.acknowledge();
    if (this.again.delete(instanceId) && !this.stopped) this.notify(instanceId);
  }
}
