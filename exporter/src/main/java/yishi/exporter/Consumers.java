package yishi.exporter;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The Yishi servers pulling from this broker, each under its own consumer id (several servers on
 * one store all pull every record: each needs the records of its own commands). A record may be
 * forgotten only once every live consumer has acknowledged it, so one server's acknowledgement
 * never drops a record another has not pulled yet. A consumer silent for longer than the timeout
 * (a server that died) no longer holds records back.
 */
final class Consumers {
  private static final class Consumer {
    long seenAt;
    final Map<Integer, Long> acknowledged = new HashMap<>();
  }

  private final long timeoutMs;
  private final Map<String, Consumer> consumers = new HashMap<>();

  Consumers(final long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  /** A request of this consumer: it is alive. */
  synchronized void seen(final String id, final long now) {
    consumers.computeIfAbsent(id, k -> new Consumer()).seenAt = now;
  }

  synchronized void acknowledge(final String id, final Map<Integer, Long> positions, final long now) {
    final Consumer c = consumers.computeIfAbsent(id, k -> new Consumer());
    c.seenAt = now;
    positions.forEach((partition, position) -> c.acknowledged.merge(partition, position, Math::max));
  }

  /**
   * How far every live consumer acknowledged a partition; empty while none is live. A live consumer
   * that has acknowledged nothing of it yet may still need all of it.
   */
  synchronized OptionalLong acknowledgedByAll(final int partition, final long now) {
    consumers.values().removeIf(c -> now - c.seenAt > timeoutMs);
    if (consumers.isEmpty()) return OptionalLong.empty();
    long min = Long.MAX_VALUE;
    for (final Consumer c : consumers.values()) min = Math.min(min, c.acknowledged.getOrDefault(partition, -1L));
    return OptionalLong.of(min);
  }
}
