package dev.cinder.client;

/** A registered callback or handler; cancelling it removes it. */
@FunctionalInterface
public interface Subscription {
  /** Removes the callback. Idempotent. */
  void cancel();
}
