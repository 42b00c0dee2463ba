package dev.cinder.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private RateLimiter<String> limiter(int limit, long windowMs, int maxKeys) {
    return RateLimiter.<String>builder().limit(limit).window(Duration.ofMillis(windowMs)).maxKeys(maxKeys)
        .clock(now::get).build();
  }

  private void advanceMs(long ms) {
    now.addAndGet(Duration.ofMillis(ms).toNanos());
  }

  @Test
  void allowsExactlyTheLimitPerWindowThenRefuses() {
    RateLimiter<String> limiter = limiter(3, 1000, 100);
    assertThat(limiter.tryAcquire("a").remaining()).isEqualTo(2);
    assertThat(limiter.tryAcquire("a").remaining()).isEqualTo(1);
    assertThat(limiter.tryAcquire("a").allowed()).isTrue();
    advanceMs(400);
    RateLimiter.Decision refused = limiter.tryAcquire("a");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(600));
  }

  @Test
  void aNewWindowOpensOnceTheOldOneHasPassed() {
    RateLimiter<String> limiter = limiter(2, 1000, 100);
    limiter.tryAcquire("a");
    limiter.tryAcquire("a");
    advanceMs(999);
    assertThat(limiter.tryAcquire("a").allowed()).isFalse();
    advanceMs(1);
    assertThat(limiter.tryAcquire("a").allowed()).isTrue();
    assertThat(limiter.tryAcquire("a").allowed()).isTrue();
    assertThat(limiter.tryAcquire("a").allowed()).isFalse();
  }

  @Test
  void keysHaveSeparateBudgets() {
    RateLimiter<String> limiter = limiter(1, 1000, 100);
    assertThat(limiter.tryAcquire("alice|room:1").allowed()).isTrue();
    assertThat(limiter.tryAcquire("alice|room:1").allowed()).isFalse();
    assertThat(limiter.tryAcquire("alice|room:2").allowed()).isTrue();
    assertThat(limiter.tryAcquire("bob|room:1").allowed()).isTrue();
  }

  @Test
  void closedWindowsAreSweptAway() {
    RateLimiter<String> limiter = limiter(5, 1000, 10_000);
    for (int i = 0; i < 500; i++) {
      limiter.tryAcquire("key" + i);
    }
    assertThat(limiter.trackedKeys()).isEqualTo(500);
    advanceMs(1000);
    limiter.tryAcquire("fresh");
    assertThat(limiter.trackedKeys()).isEqualTo(1);
  }

  @Test
  void aFullTableRefusesNewKeysButKeepsServingKnownOnes() {
    RateLimiter<String> limiter = limiter(5, 1000, 3);
    limiter.tryAcquire("a");
    limiter.tryAcquire("b");
    limiter.tryAcquire("c");
    RateLimiter.Decision refused = limiter.tryAcquire("d");
    assertThat(refused.allowed()).isFalse();
    assertThat(limiter.trackedKeys()).isEqualTo(3);
    assertThat(limiter.tryAcquire("a").allowed()).isTrue();
    advanceMs(1000); // every window closed: room again
    assertThat(limiter.tryAcquire("d").allowed()).isTrue();
    assertThat(limiter.trackedKeys()).isEqualTo(1);
  }

  @Test
  void concurrentCallersNeverGetMoreThanTheLimit() throws Exception {
    RateLimiter<String> limiter = RateLimiter.of(1000, Duration.ofHours(1));
    AtomicInteger allowed = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 500; i++) {
          if (limiter.tryAcquire(i % 2 == 0 ? "even" : "odd").allowed()) {
            allowed.incrementAndGet();
          }
        }
      }));
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(allowed.get()).isEqualTo(2000); // 4000 attempts, 1000 per key
  }

  @Test
  void badSettingsAreRefusedWithAClearMessage() {
    assertThatThrownBy(() -> RateLimiter.builder().limit(0)).hasMessageContaining("at least 1 event");
    assertThatThrownBy(() -> RateLimiter.builder().window(Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> RateLimiter.builder().maxKeys(0)).hasMessageContaining("maxKeys");
    assertThatThrownBy(() -> RateLimiter.builder().limit(1).build()).hasMessageContaining("limit and a window");
    assertThatThrownBy(() -> RateLimiter.of(1, Duration.ofSeconds(1)).tryAcquire(null))
        .isInstanceOf(NullPointerException.class);
  }
}
