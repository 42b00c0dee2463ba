package dev.cinder.internal.netty.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request bodies in flight may take together, over every connection of the server
 * ({@code HttpOptions.maxBodyBytesInFlight}). A body takes its room before its bytes
 * are kept and gives it back when its request is answered or its connection closes.
 */
public final class RequestBodyBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  public RequestBodyBudget(long limit) {
    this.limit = limit;
  }

  /** Takes {@code bytes} of room if they fit under the limit; false (nothing taken) if not. */
  boolean tryTake(long bytes) {
    long now;
    do {
      now = used.get();
      if (now + bytes > limit) {
        return false;
      }
    } while (!used.compareAndSet(now, now + bytes));
    return true;
  }

  void giveBack(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Bytes taken now. */
  public long used() {
    return used.get();
  }
}
