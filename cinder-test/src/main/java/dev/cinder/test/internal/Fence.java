package dev.cinder.test.internal;

/**
 * A marker a test sends through a channel's mailbox: pushed back as {@link #EVENT} once the channel has handled
 * everything queued before it, it proves that nothing else is on its way.
 */
public record Fence(String id) {
  /** The event the marker comes back as. */
  public static final String EVENT = "cinder_test:fence";
}
