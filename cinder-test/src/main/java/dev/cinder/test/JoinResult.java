package dev.cinder.test;

import dev.cinder.Payload;

/** The outcome of a join: accepted with its channel, or refused with the reply's response. */
public final class JoinResult {
  private final String topic;
  private final String status;
  private final Payload response;
  private final TestChannel channel;
  private final Throwable failure;

  JoinResult(String topic, String status, Payload response, TestChannel channel, Throwable failure) {
    this.topic = topic;
    this.status = status;
    this.response = response;
    this.channel = channel;
    this.failure = failure;
  }

  /** Whether the join was accepted. */
  public boolean isOk() {
    return channel != null;
  }

  /** The join reply's response: {@code Join.ok}'s or {@code Join.error}'s. */
  public Payload response() {
    return response;
  }

  /** The joined channel; fails if the join was refused. */
  public TestChannel channel() {
    if (channel == null) {
      AssertionError error = new AssertionError("expected the join of " + topic + " to be accepted, but it was "
          + "answered " + status + " " + response + (failure == null ? "" : " after " + failure));
      if (failure != null) {
        error.initCause(failure);
      }
      throw error;
    }
    return channel;
  }

  /** Asserts the join was refused; returns the response. */
  public Payload assertError() {
    if (channel != null) {
      throw new AssertionError("expected the join of " + topic + " to be refused, but it was accepted with " + response);
    }
    return response;
  }

  /** Asserts the join was refused with a response equal to {@code expected} as JSON. */
  public Payload assertError(Object expected) {
    Payloads.assertEqual(expected, assertError(), "the refusal of the join of " + topic);
    return response;
  }

  /** What the channel's {@code join} (or its factory) threw when the join crashed, or null. */
  public Throwable failure() {
    return failure;
  }
}
