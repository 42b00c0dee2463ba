package dev.cinder.presence;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fetch hook that, once armed, holds its next call until released. Armed before a change whose diff is the
 * next thing fetched, it keeps Presence's diff publisher busy inside a flush: every change made meanwhile waits
 * for the next flush, in one batch, as changes that come within one diff window do.
 */
final class FetchGate implements PresenceFetch {
  private final AtomicBoolean armed = new AtomicBoolean();
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  void arm() {
    armed.set(true);
  }

  /** Waits until a fetch is held. */
  void awaitHeld() throws InterruptedException {
    if (!held.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no fetch reached the gate");
    }
  }

  void release() {
    released.countDown();
  }

  @Override
  public Map<String, Map<String, Object>> fetch(String topic, Map<String, Map<String, Object>> presences) {
    if (armed.compareAndSet(true, false)) {
      held.countDown();
      try {
        if (!released.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the gate was never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return presences;
  }
}
