package dev.cinder.internal.netty.longpoll.forward;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * How a node passes a long-poll request to the node holding the session, over the endpoint's PubSub, every
 * message a {@code directBroadcast} to one node (docs/cluster.md, "Long-poll across nodes"):
 * <pre>
 *   asking node → owner, topic "phx:lp:s:" + session id (the holder subscribes it while the session lives)
 *     get      {"from": node, "reply": topic}
 *     post     {"from": node, "reply": topic, "ndjson": bool, "body": text}
 *     cancel   {"reply": topic}                      the client of a held get went away
 *     requeue  {"messages": [..], "generation": n}   messages of an answer its client never got
 *   owner → asking node, topic "reply": a random topic per request
 *     ack      {"window_ms": n}                      the session is here; the answer follows within the window
 *     answer   {"status": 200, "messages": [..], "generation": n} | {"status": 204|400|408|410[, "error"]}
 * </pre>
 * Both topics hold 16+ random bytes, so no one else can subscribe to them or answer in the owner's name.
 */
public final class LongPollWire {
  static final String GET = "get";
  static final String POST = "post";
  static final String CANCEL = "cancel";
  static final String REQUEUE = "requeue";
  static final String ACK = "ack";
  static final String ANSWER = "answer";

  /** How long an asking node waits for the owner's first word before it calls the session gone (Phoenix's pubsub_timeout). */
  static final Duration LOCATE_TIMEOUT = Duration.ofSeconds(2);
  /** Slack past the owner's window for its answer to cross the PubSub. */
  static final Duration ANSWER_SLACK = Duration.ofSeconds(2);

  private static final SecureRandom RANDOM = new SecureRandom();

  private LongPollWire() {}

  /** The topic a session's holder listens on for requests forwarded to it. */
  public static String sessionTopic(String sessionId) {
    return "phx:lp:s:" + sessionId;
  }

  static String newReplyTopic() {
    return "phx:lp:r:" + randomId(16);
  }

  /** {@code bytes} random bytes, URL-safe Base64: unguessable ids and topics. */
  public static String randomId(int bytes) {
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }
}
