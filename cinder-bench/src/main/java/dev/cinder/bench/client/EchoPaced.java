package dev.cinder.bench.client;

import dev.cinder.bench.wire.ServerFrame;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop {@code ping} requests at a fixed total rate, spread round-robin over the sockets: a ping is sent when
 * its time comes whether or not earlier ones were answered, so a slow server builds a queue instead of slowing the
 * client down. Each round trip is timed from the moment the ping was due (not when it was sent), so a late send
 * counts as latency too. A reply counts only if its ref, status and echoed payload match the ping's.
 */
public final class EchoPaced implements Traffic {
  private record Sent(String payload, long dueNanos) {}

  private final String body;
  private final LongAdder sent = new LongAdder();
  private final LongAdder ok = new LongAdder();
  private final LongAdder bad = new LongAdder();
  private final Histo rtt = new Histo();

  public EchoPaced(int payloadBytes) {
    this.body = "x".repeat(Math.max(0, payloadBytes));
  }

  /** Sends {@code perSecond} pings a second over {@code clients} for {@code seconds}; returns when the last is sent. */
  public void run(List<PhxClient> clients, double perSecond, double seconds) {
    for (PhxClient c : clients) {
      c.execute(() -> c.scenarioState = new HashMap<String, Sent>());
    }
    long total = (long) (perSecond * seconds);
    double intervalNanos = 1e9 / perSecond;
    long start = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long due = start + (long) (i * intervalNanos);
      long wait = due - System.nanoTime();
      if (wait > 50_000) {
        LockSupport.parkNanos(wait);
      }
      PhxClient c = clients.get((int) (i % clients.size()));
      String payload = "{\"body\":\"" + body + "\",\"n\":" + i + "}";
      c.execute(() -> send(c, payload, due));
    }
  }

  @SuppressWarnings("unchecked")
  private void send(PhxClient c, String payload, long due) {
    sent.increment();
    ((Map<String, Sent>) c.scenarioState).put(c.push("ping", payload), new Sent(payload, due));
  }

  @Override
  public boolean onFrame(PhxClient client, ServerFrame frame, long nowMicros) {
    return false;
  }

  @Override
  @SuppressWarnings("unchecked")
  public boolean onReply(PhxClient c, ServerFrame f, long nowMicros) {
    Sent s = c.scenarioState instanceof Map<?, ?> m ? ((Map<String, Sent>) m).remove(f.ref()) : null;
    if (s == null) {
      bad.increment();
      return true; // counted here, as a bad echo
    }
    boolean match = c.joinRef().equals(f.joinRef()) && c.topic().equals(f.topic())
        && f.payload().contains("\"status\":\"ok\"") && f.payload().contains("\"response\":" + s.payload());
    if (match) {
      ok.increment();
      rtt.recordMicros(System.nanoTime() - s.dueNanos());
    } else {
      bad.increment();
    }
    return true;
  }

  /** Waits up to {@code timeoutSeconds} for every ping sent to be answered. */
  public void awaitReplies(long timeoutSeconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (ok.sum() + bad.sum() < sent.sum() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  public Map<String, Object> report() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sent", sent.sum());
    out.put("ok", ok.sum());
    out.put("bad", bad.sum());
    out.put("rttHisto", rtt.encode());
    return out;
  }
}
