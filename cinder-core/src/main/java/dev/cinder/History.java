package dev.cinder;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of a topic's broadcasts Cinder keeps so that a client that reconnects gets what it missed: the last
 * {@code maxMessages}, none older than {@code ttl}. Declared per route with
 * {@link Routes#channel(String, java.util.function.Supplier, History)}; topics of other routes keep nothing.
 *
 * <p>Every broadcast kept carries a position ({@code "<epoch>:<offset>"}) that a client which asked for positions
 * reads as the {@code ref} of the message; a client that rejoins with its last position gets every broadcast after
 * it, in order and once, before any live one, or is told plainly that it cannot (docs/protocol.md, "Recovery").
 * What a topic's position counts from is kept for {@link #POSITIONS_KEPT} after its last broadcast, however short
 * the {@code ttl}, so that a quiet topic does not look like a lost one; a topic that never had a broadcast, only for
 * its {@code ttl} after the last join that asked for it.
 *
 * @param maxMessages how many of the topic's latest broadcasts are kept, 1 to {@value #MAX_MESSAGES}
 * @param ttl how long a broadcast is kept at most, more than zero
 */
public record History(int maxMessages, Duration ttl) {
  /** The most messages one topic keeps. */
  public static final int MAX_MESSAGES = 100_000;

  /** How long a topic's epoch and last offset outlive its last broadcast. */
  public static final Duration POSITIONS_KEPT = Duration.ofHours(24);

  public History {
    Objects.requireNonNull(ttl, "ttl");
    if (maxMessages < 1 || maxMessages > MAX_MESSAGES) {
      throw new IllegalArgumentException("maxMessages must be 1 to " + MAX_MESSAGES + ": " + maxMessages);
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be more than zero: " + ttl);
    }
  }

  /** The last {@code maxMessages} broadcasts of a topic, none older than {@code ttl}. */
  public static History of(int maxMessages, Duration ttl) {
    return new History(maxMessages, ttl);
  }
}
