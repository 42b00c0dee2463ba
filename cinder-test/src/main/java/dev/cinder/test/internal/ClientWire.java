package dev.cinder.test.internal;

import dev.cinder.Payload;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.test.Received;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;

/**
 * The client's side of protocol 2.0.0, as the official client speaks it: client messages encoded to frames, and the
 * server's frames (JSON text, binary kinds 0 to 2) decoded back. The server side is Cinder's own serializer.
 */
public final class ClientWire {
  /** The {@code vsn} the test clients connect with. */
  public static final String VSN = "2.0.0";

  private ClientWire() {}

  /** A client message {@code [join_ref, ref, topic, event, payload]} as a text frame. */
  public static Frame encode(String joinRef, String ref, String topic, String event, Object payload) {
    JsonNode body = Payload.of(payload).json();
    return Frame.text(Payload.of(Arrays.asList(joinRef, ref, topic, event, body)).json().toString());
  }

  /** A server frame as the client reads it; throws {@link IllegalStateException} for one it cannot read. */
  public static Received decode(Frame frame) {
    return frame.binary() ? decodeBinary(frame.bytes()) : decodeText(frame.text());
  }

  private static Received decodeText(String text) {
    JsonNode array = Payload.parse(text).json();
    if (!array.isArray() || array.size() != 5) {
      throw new IllegalStateException("the server sent a frame that is not a 5-element JSON array: " + text);
    }
    String joinRef = string(array.get(0));
    String ref = string(array.get(1));
    String topic = string(array.get(2));
    String event = string(array.get(3));
    JsonNode payload = array.get(4);
    if (Received.REPLY.equals(event)) {
      return new Received(joinRef, ref, topic, event, string(payload.get("status")), Payload.json(payload.get("response")));
    }
    return new Received(joinRef, ref, topic, event, null, Payload.json(payload));
  }

  private static String string(JsonNode node) {
    return node == null || node.isNull() ? null : node.asString();
  }

  /** Kind 0 push {@code J T E}, kind 1 reply {@code J R T S}, kind 2 broadcast {@code T E}: lengths, fields, data. */
  private static Received decodeBinary(byte[] bytes) {
    int kind = bytes[0];
    int fields = switch (kind) {
      case 0 -> 3;
      case 1 -> 4;
      case 2 -> 2;
      default -> throw new IllegalStateException("the server sent a binary frame of unknown kind " + kind);
    };
    String[] values = new String[fields];
    int at = 1 + fields;
    for (int i = 0; i < fields; i++) {
      int length = Byte.toUnsignedInt(bytes[1 + i]);
      values[i] = new String(bytes, at, length, StandardCharsets.UTF_8);
      at += length;
    }
    Payload data = Payload.binary(Arrays.copyOfRange(bytes, at, bytes.length));
    return switch (kind) {
      case 0 -> new Received(emptyToNull(values[0]), null, values[1], values[2], null, data);
      case 1 -> new Received(emptyToNull(values[0]), emptyToNull(values[1]), values[2], Received.REPLY, values[3], data);
      default -> new Received(null, null, values[0], values[1], null, data);
    };
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
