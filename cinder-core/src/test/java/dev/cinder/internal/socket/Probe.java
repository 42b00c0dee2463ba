package dev.cinder.internal.socket;

import dev.cinder.ChannelContext;
import dev.cinder.ReplyRef;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** What the {@link TestChannel}s of one test did: a callback log, their contexts, and an overlap detector. */
final class Probe {
  final List<String> log = new CopyOnWriteArrayList<>();
  final Map<Integer, ChannelContext> contexts = new ConcurrentHashMap<>();
  final List<ReplyRef> savedRefs = new CopyOnWriteArrayList<>();
  final AtomicInteger instances = new AtomicInteger();
  final AtomicInteger maxActive = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();
  /** When set, every callback lingers a little, so that overlapping callbacks would be caught. */
  volatile boolean slowCallbacks;
  /** When set, terminate throws an Error. */
  volatile boolean terminateThrowsError;
  /** Counted down when a {@code hold} event is in handleIn; it returns once {@link #release} is. */
  final CountDownLatch holding = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);

  void enter(String entry) {
    maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
    log.add(entry);
    if (slowCallbacks) {
      LockSupport.parkNanos(20_000);
    }
  }

  void exit() {
    active.decrementAndGet();
  }

  long count(String entry) {
    return log.stream().filter(entry::equals).count();
  }

  ChannelContext context(int channel) {
    return contexts.get(channel);
  }
}
