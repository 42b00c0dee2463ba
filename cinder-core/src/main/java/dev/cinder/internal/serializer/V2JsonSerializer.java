package dev.cinder.internal.serializer;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Protocol 2.0.0: JSON array text frames {@code [join_ref, ref, topic, event, payload]}, and
 * binary frames for byte payloads.
 */
public final class V2JsonSerializer implements Serializer {
  public static final V2JsonSerializer INSTANCE = new V2JsonSerializer();

  private static final String[] FIELDS = {"join_ref", "ref", "topic", "event", "payload"};

  private V2JsonSerializer() {}

  @Override
  public String version() {
    return "2.0.0";
  }

  @Override
  public Message decode(Frame frame) {
    return frame.binary() ? BinaryFrames.decodePush(frame.bytes()) : decodeText(frame);
  }

  private static Message decodeText(Frame frame) {
    try (JsonParser parser = JsonFrames.parser(frame)) {
      if (JsonFrames.nextValue(parser, "the message") != JsonToken.START_ARRAY) {
        throw new MalformedFrameException("a 2.0.0 text message must be a JSON array " + shape());
      }
      String joinRef = JsonFrames.ref(element(parser, 0), "join_ref");
      String ref = JsonFrames.ref(element(parser, 1), "ref");
      String topic = JsonFrames.string(element(parser, 2), "topic");
      String event = JsonFrames.string(element(parser, 3), "event");
      Payload payload = JsonFrames.payload(element(parser, 4), frame);
      // Phoenix matches [join_ref, ref, topic, event, payload | _]: extra elements are ignored.
      while (JsonFrames.nextValue(parser, "the end of the array") != JsonToken.END_ARRAY) {
        parser.skipChildren();
      }
      JsonFrames.expectEnd(parser);
      return new Message(joinRef, ref, topic, event, payload);
    } catch (JacksonException e) {
      throw JsonFrames.invalidJson(e);
    }
  }

  /** Advances to array element {@code index}, failing if the array ended early. */
  private static JsonParser element(JsonParser parser, int index) {
    if (JsonFrames.nextValue(parser, FIELDS[index]) == JsonToken.END_ARRAY) {
      throw new MalformedFrameException(
          "a 2.0.0 message needs at least 5 elements " + shape() + ", got " + index);
    }
    return parser;
  }

  private static String shape() {
    return "[join_ref, ref, topic, event, payload]";
  }

  @Override
  public Frame encodePush(Message message) {
    Payload payload = Objects.requireNonNull(message.payload(), "payload");
    if (payload.isBinary()) {
      // The server→client kind-0 layout has no ref field.
      return BinaryFrames.push(message.joinRef(), message.topic(), message.event(), payload.bytes());
    }
    return array(message.joinRef(), message.ref(), message.topic(), message.event(), payload);
  }

  @Override
  public Frame encodeReply(ReplyMessage reply) {
    String status = Objects.requireNonNull(reply.status(), "status");
    Payload response = Objects.requireNonNull(reply.response(), "response");
    if (response.isBinary()) {
      return BinaryFrames.reply(reply.joinRef(), reply.ref(), reply.topic(), status, response.bytes());
    }
    String topic = Objects.requireNonNull(reply.topic(), "topic");
    byte[] encoded = EncodedJson.bytesOf(response);
    Frame plain = encoded == null ? null : PlainFrames.reply(reply.joinRef(), reply.ref(), topic, status, encoded);
    if (plain != null) {
      return plain; // the request path: a reply to a push, its payload the client's JSON text
    }
    return JsonFrames.text(response, gen -> {
      gen.writeStartArray();
      JsonFrames.writeNullable(gen, reply.joinRef());
      JsonFrames.writeNullable(gen, reply.ref());
      gen.writeString(topic);
      gen.writeString("phx_reply");
      gen.writeStartObject();
      gen.writeStringProperty("status", status);
      gen.writeName("response");
      JsonFrames.writeJson(gen, response);
      gen.writeEndObject();
      gen.writeEndArray();
    });
  }

  @Override
  public Frame encodeBroadcast(Broadcast broadcast) {
    Payload payload = broadcast.payload();
    if (payload.isBinary()) {
      return BinaryFrames.broadcast(broadcast.topic(), broadcast.event(), payload.bytes());
    }
    return array(null, null, broadcast.topic(), broadcast.event(), payload);
  }

  @Override
  public Frame encodeBroadcast(Broadcast broadcast, String ref) {
    if (broadcast.payload().isBinary()) {
      throw new IllegalArgumentException("a binary broadcast frame has no ref");
    }
    return array(null, ref, broadcast.topic(), broadcast.event(), broadcast.payload());
  }

  private static Frame array(String joinRef, String ref, String topic, String event, Payload payload) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(event, "event");
    // A payload kept as text (a client's, or a shared presence_state, which is large) is copied once into an array
    // of the exact size, not through the generator: around it, plain strings as they are, else the generator's
    // frame with a one-byte placeholder where the payload goes.
    byte[] encoded = EncodedJson.bytesOf(payload);
    Frame plain = encoded == null ? null : PlainFrames.message(joinRef, ref, topic, event, encoded);
    if (plain != null) {
      return plain;
    }
    Frame frame = JsonFrames.text(encoded != null ? null : payload, gen -> {
      gen.writeStartArray();
      JsonFrames.writeNullable(gen, joinRef);
      JsonFrames.writeNullable(gen, ref);
      gen.writeString(topic);
      gen.writeString(event);
      if (encoded != null) {
        gen.writeNumber(0); // the placeholder: the frame ends with `0]`
      } else {
        JsonFrames.writeJson(gen, payload);
      }
      gen.writeEndArray();
    });
    return encoded == null ? frame : JsonFrames.replaceLastValue(frame, encoded);
  }
}
