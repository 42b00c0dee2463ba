package dev.cinder.offload;

/**
 * The outcome of an offloaded job, delivered to the submitting channel's {@code handleInfo}:
 *
 * <pre>{@code
 * public void handleInfo(Object message, ChannelContext ctx) {
 *   switch (message) {
 *     case JobResult.Completed(var tag, var value) -> ctx.push("done", Map.of("value", value));
 *     case JobResult.Failed(var tag, var error) -> ctx.push("failed", Map.of("reason", error.getMessage()));
 *     default -> {}
 *   }
 * }
 * }</pre>
 */
public sealed interface JobResult {
  /** What the channel gave at submission to tell its jobs apart. */
  Object tag();

  /** The job returned {@code value} (possibly null). */
  record Completed(Object tag, Object value) implements JobResult {}

  /**
   * The job threw {@code error}, was interrupted, or ran past the offloader's timeout
   * ({@link java.util.concurrent.TimeoutException}).
   */
  record Failed(Object tag, Throwable error) implements JobResult {}
}
