package dev.cinder.test;

import dev.cinder.Payload;
import java.util.List;

/**
 * The reply a push may get. Its assertions wait for it (the channel's {@code handleIn} runs on its own thread), so
 * a test can push and go on; {@link #refuteReply()} checks that none came.
 */
public final class PendingReply {
  private final TestChannel channel;
  private final String event;
  private final String ref;
  private Received reply;

  PendingReply(TestChannel channel, String event, String ref) {
    this.channel = channel;
    this.event = event;
    this.ref = ref;
  }

  /** Waits for the reply and returns it. */
  public synchronized Received await() {
    if (reply == null) {
      reply = channel.take(r -> r.isReply() && ref.equals(r.ref()),
          () -> "a reply to the push \"" + event + "\" (ref " + ref + ")");
    }
    return reply;
  }

  /** The reply's status, once it came. */
  public String status() {
    return await().status();
  }

  /** The reply's response, once it came. */
  public Payload response() {
    return await().payload();
  }

  /** Asserts the reply has {@code expected} status; returns its response. */
  public Payload assertStatus(String expected) {
    Received r = await();
    if (!expected.equals(r.status())) {
      throw new AssertionError("expected the push \"" + event + "\" on " + channel.topic() + " to be answered "
          + expected + " but it was answered " + r.status() + " " + r.payload());
    }
    return r.payload();
  }

  /** Asserts the reply is ok; returns its response. */
  public Payload assertOk() {
    return assertStatus("ok");
  }

  /** Asserts the reply is ok with a response equal to {@code expected} as JSON. */
  public Payload assertOk(Object expected) {
    Payload response = assertOk();
    Payloads.assertEqual(expected, response, "the reply to \"" + event + "\"");
    return response;
  }

  /** Asserts the reply is an error; returns its response. */
  public Payload assertError() {
    return assertStatus("error");
  }

  /** Asserts the reply is an error with a response equal to {@code expected} as JSON. */
  public Payload assertError(Object expected) {
    Payload response = assertError();
    Payloads.assertEqual(expected, response, "the error reply to \"" + event + "\"");
    return response;
  }

  /** Asserts the push got no reply once every channel handled what was sent to it so far (a fence, no sleep). */
  public void refuteReply() {
    channel.fenceAllForReply();
    List<Received> replies = channel.received().stream().filter(r -> r.isReply() && ref.equals(r.ref())).toList();
    if (!replies.isEmpty()) {
      throw new AssertionError("expected no reply to the push \"" + event + "\" on " + channel.topic() + ", got "
          + replies.getFirst());
    }
  }
}
