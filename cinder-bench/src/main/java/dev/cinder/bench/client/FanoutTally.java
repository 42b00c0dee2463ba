package dev.cinder.bench.client;

import dev.cinder.bench.wire.Position;
import dev.cinder.bench.wire.ServerFrame;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks every fan-out delivery: a fastlane frame (null join_ref, and a null ref or, on a topic with a history, the
 * broadcast's position) on the socket's own topic,
 * with this run's event and a {@code seq} in range, seen once per socket. Latency is receive time minus the
 * publisher's {@code t} stamp, both epoch µs. The latency of the first and of the last third of the messages is
 * kept apart too: a server that falls behind a paced rate shows it as the later messages arriving later.
 */
public final class FanoutTally implements Traffic {
  private record Seen(FanoutTally run, BitSet seqs) {}

  private final String event;
  private final int messages;
  private final AtomicIntegerArray perMessage;
  private final LongAdder received = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder stale = new LongAdder();
  private final LongAdder positioned = new LongAdder();
  private final AtomicLong firstMicros = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastMicros = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicReference<long[]> worst = new java.util.concurrent.atomic.AtomicReference<>(new long[] {-1, -1});
  final Histo latency = new Histo();
  private final Histo firstThird = new Histo();
  private final Histo lastThird = new Histo();

  public FanoutTally(String event, int messages) {
    this.event = event;
    this.messages = messages;
    this.perMessage = new AtomicIntegerArray(messages);
  }

  @Override
  public boolean onFrame(PhxClient client, ServerFrame f, long nowMicros) {
    boolean position = Position.isPosition(f.ref());
    if (f.joinRef() != null || (f.ref() != null && !position) || !client.subscribed(f.topic())) {
      return false;
    }
    if (!event.equals(f.event())) {
      // A late frame of an earlier run (its event differs): not this run's loss or gain.
      stale.increment();
      return f.event().startsWith("fan");
    }
    long seq = f.longField("seq");
    long sent = f.longField("t");
    if (seq < 0 || seq >= messages || sent <= 0) {
      return false;
    }
    Seen seen = client.scenarioState instanceof Seen s && s.run == this ? s : new Seen(this, new BitSet(messages));
    client.scenarioState = seen;
    if (seen.seqs.get((int) seq)) {
      duplicates.increment();
      return true;
    }
    seen.seqs.set((int) seq);
    perMessage.incrementAndGet((int) seq);
    received.increment();
    if (position) {
      positioned.increment();
    }
    long late = nowMicros - sent;
    latency.record(late);
    if (seq < messages / 3) {
      firstThird.record(late);
    } else if (seq >= messages - messages / 3) {
      lastThird.record(late);
    }
    if (late > worst.get()[0]) {
      worst.accumulateAndGet(new long[] {late, seq}, (a, b) -> b[0] > a[0] ? b : a);
    }
    firstMicros.accumulateAndGet(nowMicros, Math::min);
    lastMicros.accumulateAndGet(nowMicros, Math::max);
    return true;
  }

  public long received() {
    return received.sum();
  }

  /** The tally so far, for {@code published} messages to {@code sockets} subscribers. */
  public Map<String, Object> report(int published, int sockets) {
    int incomplete = 0;
    for (int i = 0; i < published; i++) {
      if (perMessage.get(i) != sockets) {
        incomplete++;
      }
    }
    long expected = (long) published * sockets;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sockets", sockets);
    out.put("expected", expected);
    out.put("received", received.sum());
    out.put("lost", expected - received.sum());
    out.put("duplicates", duplicates.sum());
    out.put("stale", stale.sum());
    out.put("positioned", positioned.sum());
    out.put("messagesNotFullyDelivered", incomplete);
    out.put("firstMicros", firstMicros.get() == Long.MAX_VALUE ? 0 : firstMicros.get());
    out.put("lastMicros", lastMicros.get());
    out.put("latencyHisto", latency.encode());
    out.put("firstThirdHisto", firstThird.encode());
    out.put("lastThirdHisto", lastThird.encode());
    out.put("worstMicros", worst.get()[0]);
    out.put("worstSeq", worst.get()[1]);
    return out;
  }
}
