package dev.cinder.bench.client;

import dev.cinder.bench.wire.ServerFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the presence frames a join storm causes — {@code presence_state} pushed to each joiner, {@code presence_diff}
 * broadcasts — per client and in payload bytes, and checks their shape (the state is a push with the
 * channel's join_ref and a null ref, a diff a fastlane broadcast with both null). Every {@code SAMPLE}th client also
 * keeps the presence list the official client would ({@link PresenceView}), so the storm can be checked to converge.
 */
public final class PresenceTally implements Traffic {
  static final int SAMPLE = 1_000;

  /** One client's counts: written on its I/O thread only, read by {@link #report} from another. */
  private static final class PerClient {
    final PresenceTally tally;
    volatile long states;
    volatile long diffs;
    volatile long bytes;
    PresenceView view;

    PerClient(PresenceTally tally) {
      this.tally = tally;
    }
  }

  private final Map<PhxClient, PerClient> clients = new ConcurrentHashMap<>();
  private final LongAdder states = new LongAdder();
  private final LongAdder diffs = new LongAdder();
  private final LongAdder stateBytes = new LongAdder();
  private final LongAdder diffBytes = new LongAdder();
  private final AtomicLong lastNanos = new AtomicLong(System.nanoTime());
  private volatile int probeIndex = -1;
  private volatile PresenceView probe;

  @Override
  public boolean onFrame(PhxClient client, ServerFrame f, long nowMicros) {
    if (!client.subscribed(f.topic())) {
      return false;
    }
    // The client's record rides on the client (its I/O thread is the only one to touch it); the map, which only
    // the report reads, learns of it once, on the client's first frame of this tally.
    PerClient c = client.scenarioState instanceof PerClient p && p.tally == this ? p : register(client);
    if (c.view == null && (client.index() % SAMPLE == 0 || client.index() == probeIndex)) {
      c.view = new PresenceView();
      if (client.index() == probeIndex) {
        probe = c.view;
      }
    }
    int bytes = f.payloadBytes();
    switch (f.event()) {
      case "presence_state" -> {
        if (!client.joinRef().equals(f.joinRef()) || f.ref() != null) {
          return false;
        }
        states.increment();
        stateBytes.add(bytes);
        c.states++;
      }
      case "presence_diff" -> {
        if (f.joinRef() != null || f.ref() != null) {
          return false;
        }
        diffs.increment();
        diffBytes.add(bytes);
        c.diffs++;
      }
      default -> {
        return false;
      }
    }
    c.bytes += bytes;
    if (c.view != null) {
      c.view.apply(f.event(), f.payload());
    }
    lastNanos.set(System.nanoTime());
    return true;
  }

  private PerClient register(PhxClient client) {
    PerClient c = new PerClient(this);
    client.scenarioState = c;
    clients.put(client, c);
    return c;
  }

  /** Keeps the list of the client with this index apart: a late joiner whose presence_state shows the server's list. */
  public void probe(int index) {
    probeIndex = index;
  }

  /** The number of users the probe's presence_state listed (before its own track), -1 before it arrived. */
  public int probeListed() {
    PresenceView p = probe;
    return p == null ? -1 : p.stateSize();
  }

  /** Nanos since the last presence frame arrived. */
  public long quietNanos() {
    return System.nanoTime() - lastNanos.get();
  }

  public long lastNanos() {
    return lastNanos.get();
  }

  public Map<String, Object> report() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("presenceStates", states.sum());
    out.put("presenceDiffs", diffs.sum());
    out.put("stateBytes", stateBytes.sum());
    out.put("diffBytes", diffBytes.sum());
    long min = Long.MAX_VALUE;
    long max = 0;
    long maxBytes = 0;
    long statesNotOne = 0;
    List<Integer> sampled = new ArrayList<>();
    for (PerClient c : clients.values()) {
      min = Math.min(min, c.diffs);
      max = Math.max(max, c.diffs);
      maxBytes = Math.max(maxBytes, c.bytes);
      statesNotOne += c.states == 1 ? 0 : 1;
      if (c.view != null) {
        sampled.add(c.view.size());
      }
    }
    out.put("clientsWithFrames", clients.size());
    out.put("diffsPerClientMin", clients.isEmpty() ? 0 : min);
    out.put("diffsPerClientMax", max);
    out.put("bytesPerClientMax", maxBytes);
    out.put("clientsWithoutExactlyOneState", statesNotOne);
    out.put("sampledViewSizes", sampled);
    return out;
  }
}
