package dev.cinder.bench.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens sockets at a set rate, never more than {@code maxPending} handshakes or joins in flight, and stops at a
 * deadline whatever happened: the connect-and-join scenario and the set-up of every other one.
 */
public final class Ramp {
  private Ramp() {}

  public static Map<String, Object> run(Fleet fleet, int n, String topic, double perSecond, int maxPending,
      Duration timeout) {
    return run(fleet, n, i -> fleet.open(topic), perSecond, maxPending, timeout);
  }

  /** As above, the i-th client opened by {@code open} (e.g. one that rejoins after a drop). */
  public static Map<String, Object> run(Fleet fleet, int n, java.util.function.IntFunction<PhxClient> open,
      double perSecond, int maxPending, Duration timeout) {
    fleet.connectHistogram.reset();
    fleet.joinHistogram.reset();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    AtomicInteger pending = new AtomicInteger();
    AtomicLong lastJoin = new AtomicLong(start);
    List<PhxClient> opened = new ArrayList<>(n);
    for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
      long due = start + (long) (i * 1e9 / perSecond);
      while (System.nanoTime() < due || pending.get() >= maxPending) {
        if (System.nanoTime() >= deadline) {
          break;
        }
        Fleet.sleepMillis(1);
      }
      pending.incrementAndGet();
      PhxClient client = open.apply(i);
      client.joined.whenComplete((c, e) -> {
        pending.decrementAndGet();
        lastJoin.accumulateAndGet(System.nanoTime(), Math::max);
      });
      opened.add(client);
    }
    int joined = 0;
    Map<String, Integer> refused = new TreeMap<>();
    Map<String, Integer> failed = new TreeMap<>();
    for (PhxClient client : opened) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        client.joined.get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
        joined++;
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
        if (cause instanceof PhxClient.JoinRefused r) {
          refused.merge(r.getMessage(), 1, Integer::sum);
        } else {
          failed.merge(cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1, Integer::sum);
        }
      } catch (java.util.concurrent.TimeoutException e) {
        failed.merge("no join reply before the deadline", 1, Integer::sum);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requested", n);
    out.put("opened", opened.size());
    out.put("joined", joined);
    out.put("refused", refused);
    out.put("failed", failed);
    out.put("millisToAll", (lastJoin.get() - start) / 1_000_000);
    out.put("connectHisto", fleet.connectHistogram.encode());
    out.put("joinHisto", fleet.joinHistogram.encode());
    return out;
  }
}
