package dev.cinder.guide;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.offload.Admission;
import dev.cinder.offload.JobResult;
import dev.cinder.offload.Offloader;
import java.util.Map;

/**
 * {@code reports:<name>}: a report takes a while to build; the channel hands it to an {@link Offloader} and
 * keeps answering its client meanwhile, then pushes the report when it is ready.
 */
public final class ReportChannel implements Channel {
  private final Offloader jobs;

  public ReportChannel(Offloader jobs) {
    this.jobs = jobs;
  }

  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    return Join.ok();
  }

  // region: report-submit
  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    return switch (event) {
      case "build" -> {
        String text = payload.string("text");
        Admission admission = jobs.submit(ctx, "word_count", () -> countWords(text));
        yield admission.accepted()
            ? Reply.ok(Map.of("accepted", true))
            : Reply.error(Map.of("reason", "busy", "admission", admission.name()));
      }
      case "ping" -> Reply.ok(); // still answered while a report is being built
      default -> Reply.error(Map.of("reason", "unknown_event"));
    };
  }
  // endregion

  // region: report-result
  @Override
  public void handleInfo(Object message, ChannelContext ctx) {
    switch (message) {
      case JobResult.Completed(Object tag, Object value) -> ctx.push("report_ready", Map.of("words", value));
      case JobResult.Failed(Object tag, Throwable error) -> ctx.push("report_failed", Map.of("reason", "failed"));
      default -> {}
    }
  }
  // endregion

  /** Stands for slow work: a database query, a call to another service, a large computation. */
  private static int countWords(String text) throws InterruptedException {
    Thread.sleep(300);
    return text == null || text.isBlank() ? 0 : text.strip().split("\\s+").length;
  }
}
