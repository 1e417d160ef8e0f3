package yishi.exporter;

import io.camunda.zeebe.exporter.api.Exporter;
import io.camunda.zeebe.exporter.api.context.Context;
import io.camunda.zeebe.exporter.api.context.Controller;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * A Zeebe exporter that the Yishi server pulls records from (see RecordServer): it ships the events
 * of the process instances Yishi started and lets the broker forget a record only once Yishi has
 * acknowledged it, so a restart of either side re-delivers whatever was not yet applied.
 *
 * <p>Arguments (zeebe.broker.exporters.yishi.args): token (required: the secret Yishi sends, as
 * ZEEBE_EXPORTER_TOKEN), host (127.0.0.1), port (9650), capacity (10000 records per partition; a
 * full buffer makes export() fail, and the broker retries it later), consumerTimeoutMs (15000: a
 * Yishi server silent that long no longer holds records back from the others).
 */
public final class YishiExporter implements Exporter {
  private static final Set<ValueType> VALUES =
      EnumSet.of(
          ValueType.PROCESS_INSTANCE,
          ValueType.JOB,
          ValueType.VARIABLE,
          ValueType.INCIDENT,
          ValueType.TIMER,
          ValueType.PROCESS_MESSAGE_SUBSCRIPTION);
  private static final Duration FLUSH_EVERY = Duration.ofMillis(200);

  private Logger log;
  private String host;
  private String token;
  private int port;
  private int capacity;
  private long consumerTimeoutMs;
  private int partitionId;
  private Controller controller;
  private PartitionBuffer buffer;
  private RecordServer server;
  private long reported = -1;

  @Override
  public void configure(final Context context) {
    log = context.getLogger();
    partitionId = context.getPartitionId();
    final Map<String, Object> args = context.getConfiguration().getArguments();
    host = String.valueOf(args.getOrDefault("host", "127.0.0.1"));
    port = Integer.parseInt(String.valueOf(args.getOrDefault("port", "9650")));
    capacity = Integer.parseInt(String.valueOf(args.getOrDefault("capacity", "10000")));
    consumerTimeoutMs = Long.parseLong(String.valueOf(args.getOrDefault("consumerTimeoutMs", "15000")));
    token = String.valueOf(args.getOrDefault("token", ""));
    if (token.length() < 16) {
      throw new IllegalArgumentException(
          "the Yishi exporter needs a shared token of at least 16 characters (zeebe.broker.exporters.yishi.args.token)");
    }
    context.setFilter(
        new Context.RecordFilter() {
          @Override
          public boolean acceptType(final RecordType type) {
            return type == RecordType.EVENT;
          }

          @Override
          public boolean acceptValue(final ValueType value) {
            return VALUES.contains(value);
          }
        });
  }

  @Override
  public void open(final Controller controller) {
    this.controller = controller;
    reported = controller.getLastExportedRecordPosition();
    buffer = new PartitionBuffer(partitionId, capacity, reported, controller.readMetadata().orElse(null));
    server = RecordServer.acquire(host, port, token, consumerTimeoutMs, log);
    server.add(buffer);
    log.info("Yishi exporter serves partition {} on http://{}:{} from position {}", partitionId, host, port, reported);
    controller.scheduleCancellableTask(FLUSH_EVERY, this::flush);
  }

  @Override
  public void close() {
    if (server != null) {
      server.remove(buffer);
      RecordServer.release(server);
    }
  }

  @Override
  public void export(final Record<?> record) {
    if (!buffer.offer(record)) {
      // The broker retries a failed export with back-off: the log is the buffer while Yishi is away.
      throw new IllegalStateException("Yishi has not acknowledged " + capacity + " records of partition " + partitionId);
    }
    server.signal();
  }

  /** Runs on the exporter's actor: tells the broker how far Yishi has acknowledged. */
  private void flush() {
    try {
      final PartitionBuffer.Progress progress = buffer.progress();
      if (progress.position() > reported) {
        controller.updateLastExportedRecordPosition(progress.position(), progress.metadata());
        reported = progress.position();
      }
    } finally {
      controller.scheduleCancellableTask(FLUSH_EVERY, this::flush);
    }
  }
}
