package dev.cinder.presence;

import dev.cinder.PubSub;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.pubsub.Subscriber;
import dev.cinder.internal.serializer.V2JsonSerializer;
import dev.cinder.pubsub.LocalPubSub;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A join storm on one topic, and the memory of tracked presences. Not a test: run it by hand or from the
 * benchmark tooling,
 * {@code java -XX:+UseZGC -cp <test classpath> dev.cinder.presence.PresenceStormBenchmark [users] [stormMs]
 * [windowMs...]}.
 *
 * <p>Each of {@code users} clients subscribes to the topic, then is tracked, as joining channels do; the joins
 * are spread evenly over {@code stormMs} (0: as fast as 8 virtual threads go). Printed: the time to track all, the time until the last diff was delivered, the
 * number of {@code presence_diff}s, deliveries to subscribers and their bytes (V2 JSON), for each diff
 * window; then the retained heap per tracked presence (one replica, meta of three short fields).
 */
public final class PresenceStormBenchmark {
  private static final String TOPIC = "room:storm";
  private static final int THREADS = 8;

  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    long stormMs = args.length > 1 ? Long.parseLong(args[1]) : 2000;
    List<Long> windows = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      windows.add(Long.parseLong(args[i]));
    }
    if (windows.isEmpty()) {
      windows = List.of(0L, 20L, 50L);
    }
    storm(users / 10, 0, 20); // warm-up
    for (long window : windows) {
      storm(users, stormMs, window);
    }
    memory(users);
  }

  private static void storm(int users, long stormMs, long windowMs) throws InterruptedException {
    LocalPubSub pubSub = new LocalPubSub();
    AtomicLong diffs = new AtomicLong();
    AtomicLong deliveries = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong joinsSeen = new AtomicLong();
    AtomicLong lastDelivery = new AtomicLong();
    pubSub.subscribe(TOPIC, broadcast -> {
      diffs.incrementAndGet();
      joinsSeen.addAndGet(broadcast.payload().json().get("joins").size());
    });
    final class Client implements Subscriber { // one instance per user: a PubSub keeps a set of subscribers
      @Override
      public void deliver(Dispatch dispatch) {
        deliveries.incrementAndGet();
        bytes.addAndGet(dispatch.frame(V2JsonSerializer.INSTANCE).bytes().length);
        lastDelivery.set(System.nanoTime());
      }
    }
    try (Presence presence = Presence.create(pubSub, "bench",
        PresenceOptions.defaults().diffWindow(Duration.ofMillis(windowMs)))) {
      long start = System.nanoTime();
      Thread[] joiners = new Thread[THREADS];
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        joiners[t] = Thread.ofVirtual().start(() -> {
          for (int i = thread; i < users; i += THREADS) {
            long due = start + stormMs * 1_000_000 * i / users;
            while (System.nanoTime() < due) {
              LockSupport.parkNanos(due - System.nanoTime());
            }
            Fanout.of(pubSub).subscribeShared(TOPIC, new Client());
            presence.track(TOPIC, "pid" + i, "user" + i, meta(i));
          }
        });
      }
      for (Thread joiner : joiners) {
        joiner.join();
      }
      long tracked = System.nanoTime();
      while (joinsSeen.get() < users) {
        Thread.sleep(1);
      }
      System.out.printf("storm users=%d over %d ms, window=%d ms: tracked in %d ms, last diff delivered at %d ms;"
              + " %d diffs, %d deliveries (%.1f per user), %.0f MiB of diff frames%n",
          users, stormMs, windowMs, (tracked - start) / 1_000_000, (lastDelivery.get() - start) / 1_000_000,
          diffs.get(), deliveries.get(), deliveries.get() / (double) users, bytes.get() / 1048576.0);
    }
  }

  private static void memory(int users) throws InterruptedException {
    try (Presence presence = Presence.create(new LocalPubSub(), "bench")) {
      long before = usedHeap();
      for (int i = 0; i < users; i++) {
        presence.track(TOPIC, "pid" + i, "user" + i, meta(i));
      }
      long after = usedHeap();
      System.out.printf("memory: %d presences retain %.1f MiB, %d bytes each%n", users,
          (after - before) / 1048576.0, (after - before) / users);
      if (presence.list(TOPIC).size() != users) {
        throw new IllegalStateException("lost presences");
      }
    }
  }

  private static Map<String, Object> meta(int i) {
    return Map.of("online_at", 1_700_000_000L + i, "device", i % 2 == 0 ? "phone" : "laptop", "status", "online");
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
