package dev.cinder.client.internal;

import java.nio.ByteBuffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/** Protocol 2.0.0: {@code [join_ref, ref, topic, event, payload]} text frames, and binary frames for bytes. */
public final class V2Codec implements FrameCodec {
  private final JsonMapper mapper;

  public V2Codec(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public String vsn() {
    return "2.0.0";
  }

  @Override
  public Encoded encode(Frame frame) {
    if (frame.isBinary()) {
      return Encoded.binary(BinaryFrames.encodePush(frame));
    }
    ArrayNode array = mapper.createArrayNode();
    array.add(frame.joinRef());
    array.add(frame.ref());
    array.add(frame.topic());
    array.add(frame.event());
    array.add(frame.json());
    return Encoded.text(mapper.writeValueAsString(array));
  }

  @Override
  public Frame decodeText(String text) throws MalformedFrameException {
    JsonNode node = JsonFields.parse(mapper, text);
    if (!node.isArray()) {
      throw new MalformedFrameException("a 2.0.0 text frame must be a JSON array, got " + JsonFields.kind(node));
    }
    if (node.size() < 5) {
      throw new MalformedFrameException("a 2.0.0 text frame needs 5 elements, got " + node.size());
    }
    return Frame.json(JsonFields.ref(node.get(0), "join_ref"), JsonFields.ref(node.get(1), "ref"),
        JsonFields.string(node.get(2), "topic"), JsonFields.string(node.get(3), "event"), node.get(4));
  }

  @Override
  public Frame decodeBinary(ByteBuffer frame) throws MalformedFrameException {
    try {
      return BinaryFrames.decode(frame);
    } catch (RuntimeException unexpected) {
      throw new MalformedFrameException("binary frame could not be read: " + unexpected, unexpected);
    }
  }

}
