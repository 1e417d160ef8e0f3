// The outbox sender: takes due deliveries under a time-limited claim, sends each through its
// channel, records the outcome. A failure is retried with exponential backoff; a sender that
// dies mid-way leaves its claim to lapse, and the delivery is taken up again after a restart.
// (Delivery is at least once: only a crash after the destination accepted and before the outcome
// was written sends a message twice.)
import type { Channels, ChannelType } from '../channels/index.js';
import type { DeliveryRecord, Store } from '../store/index.js';

export interface OutboxTiming {
  /** How long a claim holds a delivery (longer than any one send may take). */
  leaseMs: number;
  /** First retry after this, doubling per attempt up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export const DEFAULT_TIMING: OutboxTiming = { leaseMs: 120_000, baseDelayMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 10 };

export class OutboxSender {
  constructor(
    private readonly store: Store,
    private readonly channels: Channels,
    private readonly timing: OutboxTiming,
  ) {}

  /** One round: sends what is due; returns how many were sent. */
  async tick(now = new Date()): Promise<number> {
    const claimed = await this.store.deliveries.claim(now.toISOString(), new Date(now.getTime() + this.timing.leaseMs).toISOString(), 20);
    let sent = 0;
    for (const d of claimed) if (await this.deliver(d)) sent++;
    return sent;
  }

  private async deliver(d: DeliveryRecord): Promise<boolean> {
    const attempts = d.attempts + 1;
    try {
      const n = await this.store.notifications.get(d.notificationId);
      if (!n) throw new Error(`通知 ${d.notificationId} 不存在 (notification missing)`);
      const channel = this.channels[d.channel.type as ChannelType];
      if (!channel) throw new Error(`未知的通知渠道 ${String(d.channel.type)} (unknown channel type)`);
      await channel.send({ id: d.id, title: n.title, body: n.body }, d.channel);
      const at = new Date().toISOString();
      await this.store.deliveries.settle(d.id, { status: 'sent', attempts, nextAt: at, lastError: null, sentAt: at });
      return true;
    } catch (err) {
      const delay = Math.min(this.timing.baseDelayMs * 2 ** (attempts - 1), this.timing.maxDelayMs);
      await this.store.deliveries.settle(d.id, {
        status: attempts >= this.timing.maxAttempts ? 'failed' : 'pending', attempts,
        nextAt: new Date(Date.now() + delay).toISOString(), lastError: String((err as Error).message ?? err).slice(0, 500), sentAt: null,
      });
      return false;
    }
  }
}
