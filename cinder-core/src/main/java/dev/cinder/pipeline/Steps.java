package dev.cinder.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import tools.jackson.databind.JsonNode;

/** The common {@link Step}s: required fields, length limits, logging. Each is stateless and shareable. */
public final class Steps {
  private static final int LOGGED_PAYLOAD_CHARS = 200;

  private Steps() {}

  /**
   * Fails with {@code {"reason":"Missing required fields: a, b"}} unless each field is present and not null;
   * a string field must also hold more than whitespace. A payload that is not a JSON object lacks every field.
   */
  public static Step requireFields(String... fields) {
    return missing(fields, value -> value != null && !value.isNull() && !(value.isString() && value.stringValue().isBlank()));
  }

  /**
   * Like {@link #requireFields} for text: each field must be a string with more than whitespace; a number or an
   * object where text belongs counts as missing.
   */
  public static Step requireText(String... fields) {
    return missing(fields, value -> value != null && value.isString() && !value.stringValue().isBlank());
  }

  private static Step missing(String[] fields, Predicate<JsonNode> present) {
    List<String> names = List.of(fields);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a required-fields step needs at least one field name");
    }
    return (event, payload, ctx) -> {
      List<String> missing = new ArrayList<>();
      for (String name : names) {
        if (!present.test(payload.isBinary() ? null : payload.field(name))) {
          missing.add(name);
        }
      }
      return missing.isEmpty()
          ? StepResult.next(payload)
          : StepResult.fail(Map.of("reason", "Missing required fields: " + String.join(", ", missing)));
    };
  }

  /**
   * Fails with {@code {"reason": reason}} when the string field is longer than {@code max} characters (Unicode
   * code points, so an emoji counts once). An absent or non-string field passes: combine with
   * {@link #requireFields} to demand it.
   */
  public static Step maxLength(String field, int max, String reason) {
    if (max < 0) {
      throw new IllegalArgumentException("max must not be negative");
    }
    return (event, payload, ctx) -> {
      String value = payload.isBinary() ? null : payload.string(field);
      if (value != null && value.length() > max && value.codePointCount(0, value.length()) > max) {
        return StepResult.fail(Map.of("reason", reason));
      }
      return StepResult.next(payload);
    };
  }

  /** Logs each event at debug level (topic, event, the payload cut to 200 characters) and passes it on. */
  public static Step log(Logger logger) {
    return (event, payload, ctx) -> {
      if (logger.isDebugEnabled()) {
        String text = payload.toString();
        if (text.length() > LOGGED_PAYLOAD_CHARS) {
          text = text.substring(0, LOGGED_PAYLOAD_CHARS) + "…";
        }
        logger.debug("{} <- {} {}", ctx.topic(), event, text);
      }
      return StepResult.next(payload);
    };
  }
}
