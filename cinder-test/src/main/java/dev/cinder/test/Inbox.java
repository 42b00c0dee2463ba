package dev.cinder.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * What arrived and was not yet taken by an assertion, in arrival order. Assertions wait on it with a bound; channel
 * threads add to it.
 */
final class Inbox<T> {
  private final List<T> unread = new ArrayList<>();
  private final List<T> all = new ArrayList<>();

  synchronized void add(T item) {
    unread.add(item);
    all.add(item);
    notifyAll();
  }

  /** Wakes the waiters, so that they look at their give-up condition again. */
  synchronized void poke() {
    notifyAll();
  }

  /**
   * The first unread item matching, taken; empty once {@code wait} has passed or {@code giveUp} holds with still
   * no match.
   */
  synchronized Optional<T> take(Predicate<? super T> match, Duration wait, BooleanSupplier giveUp) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      for (int i = 0; i < unread.size(); i++) {
        if (match.test(unread.get(i))) {
          return Optional.of(unread.remove(i));
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || giveUp.getAsBoolean()) {
        return Optional.empty();
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }
  }

  /** The first unread item matching, taken, without waiting. */
  synchronized Optional<T> takeNow(Predicate<? super T> match) {
    return take(match, Duration.ZERO, () -> true);
  }

  /** Every item that ever arrived and matches, taken or not, in arrival order. */
  synchronized List<T> all(Predicate<? super T> filter) {
    return all.stream().filter(filter).map(item -> (T) item).toList();
  }

  /** The unread items that match, in arrival order. */
  synchronized List<T> unread(Predicate<? super T> filter) {
    return unread.stream().filter(filter).map(item -> (T) item).toList();
  }
}
