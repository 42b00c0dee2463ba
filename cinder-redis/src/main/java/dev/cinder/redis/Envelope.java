package dev.cinder.redis;

import dev.cinder.Broadcast;
import dev.cinder.internal.pubsub.Position;
import java.util.Map;

/**
 * One broadcast as it crosses Redis: who sent it, to which node if directed, and the broadcast. Decoded
 * envelopes keep their payload bytes unparsed until {@link #broadcast()} is asked for, so a node can drop
 * a topic nobody here wants without paying for the JSON.
 */
class Envelope {
  private final String origin;
  private final String target;
  private final String topic;
  private final String event;
  private final boolean binary;
  private final byte[] message;
  private final int payloadOffset;
  private final long sequence;
  private final Position position;

  Envelope(String origin, String target, String topic, String event, boolean binary, byte[] message, int payloadOffset,
      long sequence, Position position) {
    this.origin = origin;
    this.target = target;
    this.topic = topic;
    this.event = event;
    this.binary = binary;
    this.message = message;
    this.payloadOffset = payloadOffset;
    this.sequence = sequence;
    this.position = position;
  }

  /** The origin's count of its recorded broadcasts, or -1 when this one was not recorded. */
  long sequence() {
    return sequence;
  }

  /** Where the broadcast stands in its topic's history, or null when it was not recorded. */
  Position position() {
    return position;
  }

  /** The trace context the broadcast was sent with, or null when it carried none. */
  Map<String, String> trace() {
    return null;
  }

  /** An envelope that carried a trace: apart, so that the others hold no field for it. */
  static final class Traced extends Envelope {
    private final Map<String, String> trace;

    Traced(String origin, String target, String topic, String event, boolean binary, byte[] message,
        int payloadOffset, long sequence, Position position, Map<String, String> trace) {
      super(origin, target, topic, event, binary, message, payloadOffset, sequence, position);
      this.trace = trace;
    }

    @Override
    Map<String, String> trace() {
      return trace;
    }
  }

  String origin() {
    return origin;
  }

  /** The node this was sent to with {@code directBroadcast}, or null when sent to all. */
  String target() {
    return target;
  }

  String topic() {
    return topic;
  }

  String event() {
    return event;
  }

  /** The broadcast, its payload parsed now; throws {@link MalformedEnvelopeException} on a bad payload. */
  Broadcast broadcast() {
    return new Broadcast(topic, event, EnvelopeCodec.payload(binary, message, payloadOffset));
  }
}
