package dev.cinder.bench.client;

import dev.cinder.bench.wire.Position;
import dev.cinder.bench.wire.ServerFrame;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks what clients that rejoin after a drop are given: the {@code messages} broadcasts of {@code event} that were
 * sent while they were away, one at a time ({@code seq} 0, 1, …): each once, in the order sent, each with a position
 * of the epoch the client recovers from and the offset after the previous one (the first right after the client's
 * own). Counts when each client has all of them, from {@code startMicros} (when the rejoins began).
 */
public final class RecoveryTally implements Traffic {
  /** One client's progress; touched only on its I/O thread. */
  private static final class Progress {
    final RecoveryTally run;
    final String epoch;
    final BitSet seen;
    long lastOffset;
    int received;

    Progress(RecoveryTally run, Position from) {
      this.run = run;
      this.epoch = from == null ? null : from.epoch();
      this.lastOffset = from == null ? -1 : from.offset();
      this.seen = new BitSet(run.messages);
    }
  }

  private final String event;
  private final int messages;
  private final long startMicros;
  private final Map<Integer, Position> from;
  private final LongAdder received = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder outOfOrder = new LongAdder();
  private final LongAdder offsetGaps = new LongAdder();
  private final LongAdder otherEpoch = new LongAdder();
  private final LongAdder unpositioned = new LongAdder();
  private final LongAdder stale = new LongAdder();
  private final LongAdder complete = new LongAdder();
  private final AtomicLong lastCompleteMicros = new AtomicLong();
  private final Histo completion = new Histo();

  /** {@code from}: the position each client (by its index) rejoins from; read-only once the rejoins start. */
  public RecoveryTally(String event, int messages, long startMicros, Map<Integer, Position> from) {
    this.event = event;
    this.messages = messages;
    this.startMicros = startMicros;
    this.from = Map.copyOf(from);
  }

  @Override
  public boolean onFrame(PhxClient client, ServerFrame f, long nowMicros) {
    if (f.joinRef() != null || !client.subscribed(f.topic())) {
      return false;
    }
    if (!event.equals(f.event())) {
      stale.increment();
      return f.event().startsWith("fan");
    }
    Progress p = client.scenarioState instanceof Progress s && s.run == this ? s
        : new Progress(this, from.get(client.index()));
    client.scenarioState = p;
    long seq = f.longField("seq");
    if (seq < 0 || seq >= messages) {
      return false;
    }
    if (p.seen.get((int) seq)) {
      duplicates.increment();
      return true;
    }
    p.seen.set((int) seq);
    received.increment();
    if (seq != p.received++) {
      outOfOrder.increment(); // not the next one sent
    }
    Position position = Position.parse(f.ref());
    if (position == null) {
      unpositioned.increment();
    } else {
      if (!position.epoch().equals(p.epoch)) {
        otherEpoch.increment();
      } else if (position.offset() != p.lastOffset + 1) {
        offsetGaps.increment();
      }
      p.lastOffset = position.offset();
    }
    if (p.received == messages) {
      complete.increment();
      completion.record(nowMicros - startMicros);
      lastCompleteMicros.accumulateAndGet(nowMicros, Math::max);
    }
    return true;
  }

  /** Clients that have every missed broadcast (in order or not). */
  public long complete() {
    return complete.sum();
  }

  public Map<String, Object> report() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("complete", complete.sum());
    out.put("received", received.sum());
    out.put("duplicates", duplicates.sum());
    out.put("outOfOrder", outOfOrder.sum());
    out.put("offsetGaps", offsetGaps.sum());
    out.put("otherEpoch", otherEpoch.sum());
    out.put("unpositioned", unpositioned.sum());
    out.put("stale", stale.sum());
    out.put("millisToAllComplete", lastCompleteMicros.get() == 0 ? -1 : (lastCompleteMicros.get() - startMicros) / 1000);
    out.put("completionHisto", completion.encode());
    return out;
  }
}
