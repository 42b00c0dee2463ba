package dev.cinder.example.chat;

import dev.cinder.ChannelContext;
import dev.cinder.Payload;
import dev.cinder.pipeline.Step;
import dev.cinder.pipeline.StepResult;
import java.util.List;

/**
 * The pipeline step that replaces each named string field by its plain text ({@link HtmlText#strip}); other
 * fields, and payloads without those fields, pass unchanged. Stateless and shareable.
 */
final class StripHtml implements Step {
  private final List<String> fields;

  StripHtml(String... fields) {
    this.fields = List.of(fields);
  }

  @Override
  public StepResult apply(String event, Payload payload, ChannelContext ctx) {
    if (payload.isBinary()) {
      return StepResult.next(payload);
    }
    Payload current = payload;
    for (String name : fields) {
      String value = current.string(name);
      if (value != null) {
        String text = HtmlText.strip(value);
        if (!text.equals(value)) {
          current = current.with(name, text);
        }
      }
    }
    return StepResult.next(current);
  }
}
