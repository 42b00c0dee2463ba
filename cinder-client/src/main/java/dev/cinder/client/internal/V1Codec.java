package dev.cinder.client.internal;

import java.nio.ByteBuffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Protocol 1.0.0: {@code {"topic","event","payload","ref","join_ref"}} objects; no binary frames. */
public final class V1Codec implements FrameCodec {
  private final JsonMapper mapper;

  public V1Codec(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public String vsn() {
    return "1.0.0";
  }

  @Override
  public Encoded encode(Frame frame) {
    if (frame.isBinary()) {
      throw new IllegalArgumentException("protocol 1.0.0 cannot carry a binary payload; use Protocol.V2");
    }
    ObjectNode object = mapper.createObjectNode();
    object.put("topic", frame.topic());
    object.put("event", frame.event());
    object.set("payload", frame.json());
    object.put("ref", frame.ref());
    object.put("join_ref", frame.joinRef());
    return Encoded.text(mapper.writeValueAsString(object));
  }

  @Override
  public Frame decodeText(String text) throws MalformedFrameException {
    JsonNode node = JsonFields.parse(mapper, text);
    if (!node.isObject()) {
      throw new MalformedFrameException("a 1.0.0 text frame must be a JSON object, got " + JsonFields.kind(node));
    }
    JsonNode payload = node.get("payload");
    if (payload == null) {
      throw new MalformedFrameException("a 1.0.0 text frame needs a payload");
    }
    String joinRef = JsonFields.ref(node.get("join_ref"), "join_ref");
    String ref = JsonFields.ref(node.get("ref"), "ref");
    String event = JsonFields.string(node.get("event"), "event");
    if (joinRef == null && ("phx_close".equals(event) || "phx_error".equals(event))) {
      joinRef = ref; // 1.0.0 servers send no join_ref; the ref of these two is the join's
    }
    return Frame.json(joinRef, ref, JsonFields.string(node.get("topic"), "topic"), event, payload);
  }

  @Override
  public Frame decodeBinary(ByteBuffer frame) throws MalformedFrameException {
    throw new MalformedFrameException("a binary frame of " + frame.remaining()
        + " bytes on a 1.0.0 socket, which has no binary frames");
  }
}
