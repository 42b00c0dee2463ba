package dev.cinder.bench.client;

import dev.cinder.bench.wire.ServerFrame;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counts the presence frames a join storm causes: {@code presence_state} per joiner, {@code presence_diff}s. */
public final class PresenceTally implements Traffic {
  private final LongAdder states = new LongAdder();
  private final LongAdder diffs = new LongAdder();
  private final AtomicLong lastNanos = new AtomicLong(System.nanoTime());

  @Override
  public boolean onFrame(PhxClient client, ServerFrame f, long nowMicros) {
    if (!client.subscribed(f.topic())) {
      return false;
    }
    switch (f.event()) {
      case "presence_state" -> states.increment();
      case "presence_diff" -> diffs.increment();
      default -> {
        return false;
      }
    }
    lastNanos.set(System.nanoTime());
    return true;
  }

  /** Nanos since the last presence frame arrived. */
  public long quietNanos() {
    return System.nanoTime() - lastNanos.get();
  }

  public Map<String, Object> report() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("presenceStates", states.sum());
    out.put("presenceDiffs", diffs.sum());
    return out;
  }
}
