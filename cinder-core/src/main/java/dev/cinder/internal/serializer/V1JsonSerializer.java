package dev.cinder.internal.serializer;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Protocol 1.0.0: one JSON object per text frame, {@code {"topic","event","payload","ref"}}.
 * The server never emits join_ref, and there is no binary support.
 */
public final class V1JsonSerializer implements Serializer {
  public static final V1JsonSerializer INSTANCE = new V1JsonSerializer();

  private V1JsonSerializer() {}

  @Override
  public String version() {
    return "1.0.0";
  }

  @Override
  public Message decode(Frame frame) {
    if (frame.binary()) {
      throw new MalformedFrameException("binary frames are not supported by protocol 1.0.0");
    }
    try (JsonParser parser = JsonFrames.parser(frame)) {
      if (JsonFrames.nextValue(parser, "the message") != JsonToken.START_OBJECT) {
        throw new MalformedFrameException("a 1.0.0 message must be a JSON object");
      }
      String topic = null;
      String event = null;
      String ref = null;
      String joinRef = null;
      Payload payload = null;
      boolean hasRef = false;
      // Unknown keys are skipped; for a repeated key the last one wins, like a decoded Elixir map.
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        JsonFrames.nextValue(parser, name);
        switch (name) {
          case "topic" -> topic = JsonFrames.string(parser, "topic");
          case "event" -> event = JsonFrames.string(parser, "event");
          case "payload" -> payload = JsonFrames.payload(parser, frame);
          case "ref" -> {
            ref = JsonFrames.ref(parser, "ref");
            hasRef = true;
          }
          case "join_ref" -> joinRef = JsonFrames.ref(parser, "join_ref");
          default -> parser.skipChildren();
        }
      }
      JsonFrames.expectEnd(parser);
      require(topic != null, "topic");
      require(event != null, "event");
      require(payload != null, "payload");
      require(hasRef, "ref"); // may be null, but the key must be there (Phoenix raises otherwise)
      return new Message(joinRef, ref, topic, event, payload);
    } catch (JacksonException e) {
      throw JsonFrames.invalidJson(e);
    }
  }

  @Override
  public Frame encodePush(Message message) {
    return encode(message.topic(), message.event(), message.ref(), message.payload());
  }

  @Override
  public Frame encodeReply(ReplyMessage reply) {
    String status = Objects.requireNonNull(reply.status(), "status");
    Payload response = noBinary(reply.response());
    return JsonFrames.text(response, gen -> {
      gen.writeStartObject();
      gen.writeStringProperty("topic", Objects.requireNonNull(reply.topic(), "topic"));
      gen.writeStringProperty("event", "phx_reply");
      gen.writeName("payload");
      gen.writeStartObject();
      gen.writeStringProperty("status", status);
      gen.writeName("response");
      JsonFrames.writeJson(gen, response);
      gen.writeEndObject();
      writeRef(gen, reply.ref());
      gen.writeEndObject();
    });
  }

  @Override
  public Frame encodeBroadcast(Broadcast broadcast) {
    return encode(broadcast.topic(), broadcast.event(), null, broadcast.payload());
  }

  @Override
  public Frame encodeBroadcast(Broadcast broadcast, String ref) {
    return encode(broadcast.topic(), broadcast.event(), ref, broadcast.payload());
  }

  private static Frame encode(String topic, String event, String ref, Payload payload) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(event, "event");
    noBinary(payload);
    return JsonFrames.text(payload, gen -> {
      gen.writeStartObject();
      gen.writeStringProperty("topic", topic);
      gen.writeStringProperty("event", event);
      gen.writeName("payload");
      JsonFrames.writeJson(gen, payload);
      writeRef(gen, ref);
      gen.writeEndObject();
    });
  }

  private static void writeRef(JsonGenerator gen, String ref) {
    gen.writeName("ref");
    JsonFrames.writeNullable(gen, ref);
  }

  private static Payload noBinary(Payload payload) {
    if (Objects.requireNonNull(payload, "payload").isBinary()) {
      throw new IllegalArgumentException("protocol 1.0.0 cannot carry binary payloads; the client must use 2.0.0");
    }
    return payload;
  }

  private static void require(boolean present, String key) {
    if (!present) {
      throw new MalformedFrameException("a 1.0.0 message needs the key \"" + key + "\"");
    }
  }
}
