package dev.cinder.bench.client;

import dev.cinder.bench.wire.ServerFrame;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop {@code ping} round trips: each socket keeps one ping in flight and sends the next when the reply
 * arrives, until the deadline. A reply counts only if its ref, join_ref, status and echoed payload all match.
 */
public final class EchoRun implements Traffic {
  private static final class Pending {
    String ref;
    String payload;
    long sentNanos;
    int n;
  }

  private final String body;
  private final long deadlineNanos;
  private final LongAdder ok = new LongAdder();
  private final LongAdder bad = new LongAdder();
  private final Histo rtt = new Histo();

  public EchoRun(int payloadBytes, long deadlineNanos) {
    this.body = "x".repeat(Math.max(0, payloadBytes));
    this.deadlineNanos = deadlineNanos;
  }

  public void start(List<PhxClient> clients) {
    for (PhxClient c : clients) {
      c.execute(() -> {
        c.scenarioState = new Pending();
        send(c);
      });
    }
  }

  private void send(PhxClient c) {
    Pending p = (Pending) c.scenarioState;
    p.payload = "{\"body\":\"" + body + "\",\"n\":" + p.n++ + "}";
    p.sentNanos = System.nanoTime();
    p.ref = c.push("ping", p.payload);
  }

  @Override
  public boolean onFrame(PhxClient client, ServerFrame frame, long nowMicros) {
    return false;
  }

  @Override
  public boolean onReply(PhxClient c, ServerFrame f, long nowMicros) {
    if (!(c.scenarioState instanceof Pending p) || !f.ref().equals(p.ref)) {
      bad.increment();
      return true; // counted here, as a bad echo
    }
    boolean match = c.joinRef().equals(f.joinRef()) && c.topic().equals(f.topic())
        && f.payload().contains("\"status\":\"ok\"") && f.payload().contains("\"response\":" + p.payload);
    if (match) {
      ok.increment();
      rtt.recordMicros(System.nanoTime() - p.sentNanos);
    } else {
      bad.increment();
    }
    p.ref = null;
    if (System.nanoTime() < deadlineNanos) {
      send(c);
    }
    return true;
  }

  public Map<String, Object> report(double seconds) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ok", ok.sum());
    out.put("bad", bad.sum());
    out.put("seconds", seconds);
    out.put("rttHisto", rtt.encode());
    return out;
  }
}
