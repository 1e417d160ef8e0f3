package yishi.exporter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.slf4j.Logger;

/**
 * The loopback HTTP endpoint Yishi pulls from, shared by the partitions this broker leads:
 *   GET  /records?after=1:120,2:80&max=500&wait=1000&consumer=ID  records after those positions (long poll)
 *   POST /ack?positions=1:150,2:90&consumer=ID                     that server applied everything up to there
 * Each Yishi server pulls under its own consumer id; a record is forgotten once every live consumer
 * acknowledged it (Consumers).
 * Every request carries the shared token (Authorization: Bearer …); any other gets 401: the records
 * hold the cases' data, and an acknowledgement lets the broker forget them.
 */
final class RecordServer {
  private static final Map<String, RecordServer> SERVERS = new HashMap<>();

  private final String address;
  private final HttpServer http;
  private final byte[] token;
  private final Map<Integer, PartitionBuffer> partitions = new ConcurrentHashMap<>();
  private final Object arrivals = new Object();
  private final Consumers consumers;
  private int users;

  private RecordServer(final String host, final int port, final String token, final long consumerTimeoutMs, final Logger log) throws IOException {
    address = host + ":" + port;
    consumers = new Consumers(consumerTimeoutMs);
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    http = HttpServer.create(new InetSocketAddress(host, port), 16);
    http.setExecutor(
        Executors.newFixedThreadPool(
            4,
            r -> {
              final Thread t = new Thread(r, "yishi-exporter-http");
              t.setDaemon(true);
              return t;
            }));
    http.createContext("/records", ex -> respond(ex, log, () -> records(ex.getRequestURI())));
    http.createContext("/ack", ex -> respond(ex, log, () -> ack(ex.getRequestURI())));
    http.start();
  }

  static synchronized RecordServer acquire(final String host, final int port, final String token, final long consumerTimeoutMs, final Logger log) {
    final String key = host + ":" + port;
    RecordServer server = SERVERS.get(key);
    if (server == null) {
      try {
        server = new RecordServer(host, port, token, consumerTimeoutMs, log);
      } catch (final IOException e) {
        throw new IllegalStateException("Yishi exporter cannot listen on " + key, e);
      }
      SERVERS.put(key, server);
    }
    server.users++;
    return server;
  }

  static synchronized void release(final RecordServer server) {
    if (--server.users == 0) {
      SERVERS.remove(server.address);
      server.http.stop(0);
    }
  }

  void add(final PartitionBuffer buffer) {
    partitions.put(buffer.partitionId(), buffer);
  }

  void remove(final PartitionBuffer buffer) {
    partitions.remove(buffer.partitionId(), buffer);
  }

  void signal() {
    synchronized (arrivals) {
      arrivals.notifyAll();
    }
  }

  private String records(final URI uri) throws InterruptedException {
    final Map<String, String> q = query(uri);
    final Map<Integer, Long> after = positions(q.get("after"));
    consumers.seen(q.getOrDefault("consumer", ""), System.currentTimeMillis());
    final int max = Integer.parseInt(q.getOrDefault("max", "500"));
    final long deadline = System.currentTimeMillis() + Long.parseLong(q.getOrDefault("wait", "0"));
    for (; ; ) {
      final StringBuilder out = new StringBuilder("{\"records\":[");
      int count = 0;
      for (final PartitionBuffer p : partitions.values()) {
        for (final PartitionBuffer.Entry e : p.after(after.getOrDefault(p.partitionId(), -1L), max - count)) {
          if (count++ > 0) out.append(',');
          out.append(e.json());
        }
      }
      final long left = deadline - System.currentTimeMillis();
      if (count > 0 || left <= 0) return out.append("]}").toString();
      synchronized (arrivals) {
        arrivals.wait(Math.min(left, 250));
      }
    }
  }

  private String ack(final URI uri) {
    final Map<String, String> q = query(uri);
    final long now = System.currentTimeMillis();
    consumers.acknowledge(q.getOrDefault("consumer", ""), positions(q.get("positions")), now);
    for (final PartitionBuffer p : partitions.values()) consumers.acknowledgedByAll(p.partitionId(), now).ifPresent(p::acknowledge);
    return "{}";
  }

  private static Map<Integer, Long> positions(final String text) {
    final Map<Integer, Long> out = new HashMap<>();
    if (text == null || text.isEmpty()) return out;
    for (final String pair : text.split(",")) {
      final String[] kv = pair.split(":");
      out.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
    }
    return out;
  }

  private static Map<String, String> query(final URI uri) {
    final Map<String, String> out = new HashMap<>();
    final String raw = uri.getRawQuery();
    if (raw == null) return out;
    for (final String pair : raw.split("&")) {
      final int eq = pair.indexOf('=');
      if (eq > 0) out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private interface Body {
    String get() throws Exception;
  }

  private boolean authorized(final HttpExchange ex) {
    final String given = ex.getRequestHeaders().getFirst("Authorization");
    // Constant time: the comparison tells nothing about how much of a guess was right.
    return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
  }

  private void respond(final HttpExchange ex, final Logger log, final Body body) throws IOException {
    int status = 200;
    String text;
    try {
      if (!authorized(ex)) {
        status = 401;
        text = "{\"error\":\"token required\"}";
      } else {
        text = body.get();
      }
    } catch (final Exception e) {
      status = 400;
      text = "{\"error\":\"" + String.valueOf(e.getMessage()).replace("\"", "'") + "\"}";
      log.warn("Yishi exporter: bad request {}", ex.getRequestURI(), e);
    }
    final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }
}
