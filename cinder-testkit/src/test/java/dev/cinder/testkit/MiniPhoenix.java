package dev.cinder.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * A few canned channel behaviours over V2 frames, enough to exercise every driver command. Events: "echo"
 * replies with its payload, "shout" broadcasts it, "push_me" pushes it, "weird" replies with status "weird",
 * "close_me" closes the connection with {@code payload.code}. A join with {@code {"reject": true}} fails;
 * a "presence:*" topic gets a presence_state and a presence_diff. Binary pushes are echoed three ways.
 */
final class MiniPhoenix {
  /** The connection to one client, over whichever transport. */
  interface Peer {
    void sendText(String text);

    void sendBinary(byte[] data);

    void close(int code, String reason);
  }


  final List<ArrayNode> received = new CopyOnWriteArrayList<>();

  void onText(Peer connection, String text) {
    var message = (ArrayNode) PhoenixJs.JSON.readTree(text);
    received.add(message);
    String joinRef = nullable(message.get(0));
    String ref = nullable(message.get(1));
    String topic = message.get(2).asString();
    JsonNode payload = message.get(4);
    switch (message.get(3).asString()) {
      case "heartbeat", "phx_leave" -> reply(connection, joinRef, ref, topic, "ok", "{}");
      case "phx_join" -> {
        if (payload.path("reject").asBoolean()) {
          reply(connection, joinRef, ref, topic, "error", "{\"reason\":\"unauthorized\"}");
          return;
        }
        reply(connection, joinRef, ref, topic, "ok", "{\"joined\":\"" + topic + "\"}");
        if (topic.startsWith("presence:")) {
          send(connection, joinRef, null, topic, "presence_state", "{\"u1\":{\"metas\":[{\"phx_ref\":\"A\"}]}}");
          send(connection, null, null, topic, "presence_diff",
              "{\"joins\":{\"u2\":{\"metas\":[{\"phx_ref\":\"B\"}]}},\"leaves\":{}}");
        }
      }
      case "echo" -> reply(connection, joinRef, ref, topic, "ok", payload.toString());
      case "shout" -> {
        send(connection, null, null, topic, "shout", payload.toString());
        reply(connection, joinRef, ref, topic, "ok", "{}");
      }
      case "push_me" -> send(connection, joinRef, null, topic, "pushed", payload.toString());
      case "weird" -> reply(connection, joinRef, ref, topic, "weird", "{\"why\":\"because\"}");
      case "close_me" -> connection.close(payload.path("code").asInt(), "bye");
      default -> reply(connection, joinRef, ref, topic, "error", "{\"reason\":\"unknown event\"}");
    }
  }

  /** Kind 0 push in: answers with a kind 1 reply, a kind 0 push "img" and a kind 2 broadcast "bcast". */
  void onBinary(Peer connection, byte[] frame) {
    int offset = 5;
    String joinRef = new String(frame, offset, frame[1], UTF_8);
    String ref = new String(frame, offset += frame[1], frame[2], UTF_8);
    String topic = new String(frame, offset += frame[2], frame[3], UTF_8);
    byte[] payload = Arrays.copyOfRange(frame, offset + frame[3] + frame[4], frame.length);
    connection.sendBinary(binary(new byte[] {1}, payload, joinRef, ref, topic, "ok"));
    connection.sendBinary(binary(new byte[] {0}, payload, joinRef, topic, "img"));
    connection.sendBinary(binary(new byte[] {2}, payload, topic, "bcast"));
  }

  private static byte[] binary(byte[] kind, byte[] payload, String... fields) {
    var frame = new ByteArrayOutputStream();
    frame.writeBytes(kind);
    for (String field : fields) {
      frame.write(field.getBytes(UTF_8).length);
    }
    for (String field : fields) {
      frame.writeBytes(field.getBytes(UTF_8));
    }
    frame.writeBytes(payload);
    return frame.toByteArray();
  }

  private static void reply(Peer c, String joinRef, String ref, String topic, String status, String response) {
    send(c, joinRef, ref, topic, "phx_reply", "{\"status\":\"" + status + "\",\"response\":" + response + "}");
  }

  private static void send(Peer c, String joinRef, String ref, String topic, String event, String payload) {
    c.sendText("[" + quote(joinRef) + "," + quote(ref) + "," + quote(topic) + "," + quote(event) + "," + payload + "]");
  }

  private static String nullable(JsonNode node) {
    return node.isNull() ? null : node.asString();
  }

  private static String quote(String text) {
    return text == null ? "null" : PhoenixJs.JSON.writeValueAsString(text);
  }
}
