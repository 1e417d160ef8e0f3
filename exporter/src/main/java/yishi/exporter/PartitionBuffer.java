package yishi.exporter;

import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRelated;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The records of one partition that Yishi has not acknowledged yet, and which Yishi instance each
 * Zeebe process instance belongs to: learned from the yishiInstanceId variable Yishi starts it with.
 * A called process is a Yishi instance of its own, "<caller's id>.<its process instance key>": it
 * is recognised by that variable copied into it with a value another instance already has (or,
 * when its caller does not pass variables on, by its parent). Its process record carries the
 * caller's id as yishiParentId. The map travels with the acknowledged position as the exporter's
 * metadata, so records re-exported after a broker restart are still attributed.
 */
final class PartitionBuffer {
  static final String ID_VARIABLE = "yishiInstanceId";

  record Entry(long position, String json) {}

  record Progress(long position, byte[] metadata) {}

  private final int partitionId;
  private final int capacity;
  private final ArrayDeque<Entry> pending = new ArrayDeque<>();
  private final Map<Long, String> owners = new HashMap<>();
  /** Process instances that ended, with the position of their end: forgotten once acknowledged. */
  private final List<long[]> ended = new ArrayList<>();
  private long lastSeen;
  /**
   * Variables of an instance not known as Yishi's yet, kept until the next record tells: Zeebe
   * copies a caller's variables into a called instance before the record that names it (its
   * yishiInstanceId copy, or its process record), in the same batch.
   */
  private final List<Entry> unowned = new ArrayList<>();
  private long unownedInstance = -1;
  private static final int UNOWNED_LIMIT = 1000;

  PartitionBuffer(final int partitionId, final int capacity, final long exported, final byte[] metadata) {
    this.partitionId = partitionId;
    this.capacity = capacity;
    this.lastSeen = exported;
    if (metadata != null) {
      for (final String line : new String(metadata, StandardCharsets.UTF_8).split("\n")) {
        final int eq = line.indexOf('=');
        if (eq > 0) owners.put(Long.parseLong(line.substring(0, eq)), line.substring(eq + 1));
      }
    }
  }

  int partitionId() {
    return partitionId;
  }

  /** False when full: nothing is changed, so the broker's retry of the same record starts clean. */
  synchronized boolean offer(final Record<?> record) {
    if (pending.size() >= capacity) return false;
    lastSeen = record.getPosition();
    if (!(record.getValue() instanceof ProcessInstanceRelated related)) return true;
    final long instance = related.getProcessInstanceKey();
    if (record.getValueType() == ValueType.VARIABLE) {
      final VariableRecordValue v = (VariableRecordValue) record.getValue();
      if (ID_VARIABLE.equals(v.getName()) && v.getScopeKey() == instance && v.getValue().startsWith("\"") && !owners.containsKey(instance)) {
        final String id = v.getValue().substring(1, v.getValue().length() - 1);
        owners.put(instance, owners.containsValue(id) ? id + "." + instance : id);
      }
    }
    String parent = null;
    if (record.getValueType() == ValueType.PROCESS_INSTANCE) {
      final ProcessInstanceRecordValue p = (ProcessInstanceRecordValue) record.getValue();
      if (p.getBpmnElementType() == BpmnElementType.PROCESS) {
        parent = owners.get(p.getParentProcessInstanceKey());
        if (parent != null) owners.putIfAbsent(instance, parent + "." + instance);
        if (record.getIntent() == ProcessInstanceIntent.ELEMENT_COMPLETED
            || record.getIntent() == ProcessInstanceIntent.ELEMENT_TERMINATED) {
          ended.add(new long[] {instance, record.getPosition()});
        }
      }
    }
    final String owner = owners.get(instance);
    if (owner == null) {
      if (record.getValueType() != ValueType.VARIABLE) {
        if (unownedInstance == instance) unowned.clear(); // not started by Yishi: nothing to deliver
      } else {
        if (unownedInstance != instance) unowned.clear();
        unownedInstance = instance;
        // The record object is reused by the broker after this call: keep its JSON.
        if (unowned.size() < UNOWNED_LIMIT) unowned.add(new Entry(record.getPosition(), record.toJson()));
      }
      return true;
    }
    if (unownedInstance == instance) {
      for (final Entry e : unowned) pending.add(entry(e.position(), owner, null, e.json()));
      unowned.clear();
      unownedInstance = -1;
    }
    pending.add(entry(record.getPosition(), owner, parent, record.toJson()));
    return true;
  }

  private Entry entry(final long position, final String owner, final String parent, final String recordJson) {
    return new Entry(
        position,
        "{\"partition\":" + partitionId + ",\"position\":" + position
            + ",\"yishiInstanceId\":\"" + owner + "\""
            + (parent != null ? ",\"yishiParentId\":\"" + parent + "\"" : "")
            + ",\"record\":" + recordJson + "}");
  }

  synchronized List<Entry> after(final long position, final int max) {
    final List<Entry> out = new ArrayList<>();
    for (final Entry e : pending) {
      if (out.size() >= max) break;
      if (e.position() > position) out.add(e);
    }
    return out;
  }

  synchronized void acknowledge(final long position) {
    while (!pending.isEmpty() && pending.peekFirst().position() <= position) pending.removeFirst();
  }

  /** Everything before the first unacknowledged record is done (delivered and applied, or not Yishi's). */
  synchronized Progress progress() {
    final long done = pending.isEmpty() ? lastSeen : pending.peekFirst().position() - 1;
    for (final Iterator<long[]> it = ended.iterator(); it.hasNext(); ) {
      final long[] e = it.next();
      if (e[1] <= done) {
        owners.remove(e[0]);
        it.remove();
      }
    }
    final StringBuilder meta = new StringBuilder();
    owners.forEach((k, v) -> meta.append(k).append('=').append(v).append('\n'));
    return new Progress(done, meta.toString().getBytes(StandardCharsets.UTF_8));
  }
}
