package dev.cinder.client.internal;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/** Reading the JSON of a server frame strictly, with errors that say which field is wrong. */
final class JsonFields {
  private JsonFields() {}

  static JsonNode parse(JsonMapper mapper, String text) throws MalformedFrameException {
    if (text == null || text.isEmpty()) {
      throw new MalformedFrameException("empty text frame");
    }
    ObjectReader reader = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    try {
      return reader.readValue(text);
    } catch (JacksonException | StackOverflowError e) {
      throw new MalformedFrameException("text frame is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** A ref: a string, null (or absent), or an integral number kept as its text. */
  static String ref(JsonNode node, String name) throws MalformedFrameException {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isString()) {
      return node.stringValue();
    }
    if (node.isIntegralNumber()) {
      return node.asString();
    }
    throw new MalformedFrameException(name + " must be a string, an integer or null, got " + kind(node));
  }

  static String string(JsonNode node, String name) throws MalformedFrameException {
    if (node == null || !node.isString()) {
      throw new MalformedFrameException(name + " must be a string, got " + kind(node));
    }
    return node.stringValue();
  }

  static String kind(JsonNode node) {
    return node == null || node.isMissingNode() ? "nothing" : node.getNodeType().toString().toLowerCase();
  }
}
