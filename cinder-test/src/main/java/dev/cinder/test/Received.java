package dev.cinder.test;

import dev.cinder.Payload;

/**
 * One message a test client received, decoded from the frame the server wrote: a push, a broadcast, a reply,
 * {@code phx_close} or {@code phx_error}.
 *
 * @param joinRef the join it belongs to; null for a broadcast, which is sent once for every subscriber
 * @param ref the client message it answers (replies), or null
 * @param topic the topic
 * @param event the event; {@code "phx_reply"} for a reply
 * @param status a reply's status ({@code "ok"}, {@code "error"}...), null for any other message
 * @param payload the payload; a reply's response
 */
public record Received(String joinRef, String ref, String topic, String event, String status, Payload payload) {
  /** The event of a reply. */
  public static final String REPLY = "phx_reply";

  /** Whether this is a {@code phx_reply}. */
  public boolean isReply() {
    return REPLY.equals(event);
  }

  @Override
  public String toString() {
    String body = payload.isBinary() ? "<" + payload.bytes().length + " bytes>" : payload.toString();
    return isReply()
        ? "reply " + status + " to ref " + ref + " on " + topic + " " + body
        : "\"" + event + "\" on " + topic + " " + body;
  }
}
