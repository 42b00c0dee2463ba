package dev.cinder.spring;

import dev.cinder.CheckOrigin;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.DrainOptions;
import dev.cinder.endpoint.HttpOptions;
import java.util.function.UnaryOperator;
import org.springframework.util.unit.DataSize;

/**
 * Turns the {@code cinder.*} properties into Cinder's option objects. Cinder's own setters check each value; a value
 * they refuse fails the application's startup with the property's name and value in front of Cinder's reason.
 */
final class CinderOptions {
  private CinderOptions() {}

  static SocketOptions socket(CinderProperties.Socket s) {
    String p = "cinder.socket.";
    SocketOptions o = SocketOptions.defaults();
    o = set(p + "idle-timeout", s.idleTimeout(), o, x -> x.idleTimeout(s.idleTimeout()));
    if (!s.checkOrigin().isEmpty()) {
      o = set(p + "check-origin", s.checkOrigin(), o, x -> x.checkOrigin(CheckOrigin.list(s.checkOrigin())));
    }
    o = o.websocket(s.websocket()).longPoll(s.longPoll()).authToken(s.authToken()).compress(s.compress());
    o = set(p + "max-channels", s.maxChannels(), o, x -> x.maxChannels(s.maxChannels()));
    o = set(p + "max-frame-size", s.maxFrameSize(), o, x -> x.maxFrameSize(toInt(s.maxFrameSize())));
    o = set(p + "max-queued-bytes", s.maxQueuedBytes(), o, x -> x.maxQueuedBytes(s.maxQueuedBytes().toBytes()));
    o = set(p + "slow-consumer-policy", s.slowConsumerPolicy(), o, x -> x.slowConsumerPolicy(s.slowConsumerPolicy()));
    o = set(p + "inbound-rate", s.inboundRate(), o, x -> x.inboundRate(s.inboundRate()));
    o = set(p + "inbound-burst", s.inboundBurst(), o, x -> x.inboundBurst(s.inboundBurst()));
    o = set(p + "max-pending-pushes", s.maxPendingPushes(), o, x -> x.maxPendingPushes(s.maxPendingPushes()));
    o = set(p + "inline-push-limit", s.inlinePushLimit(), o, x -> x.inlinePushLimit(s.inlinePushLimit()));
    o = set(p + "long-poll-window", s.longPollWindow(), o, x -> x.longPollWindow(s.longPollWindow()));
    o = set(p + "max-long-poll-sessions-per-id", s.maxLongPollSessionsPerId(), o,
        x -> x.maxLongPollSessionsPerId(s.maxLongPollSessionsPerId()));
    o = set(p + "max-long-poll-sessions-per-address", s.maxLongPollSessionsPerAddress(), o,
        x -> x.maxLongPollSessionsPerAddress(s.maxLongPollSessionsPerAddress()));
    o = set(p + "max-long-poll-sessions", s.maxLongPollSessions(), o,
        x -> x.maxLongPollSessions(s.maxLongPollSessions()));
    return o;
  }

  static HttpOptions http(CinderProperties.Http h) {
    String p = "cinder.http.";
    HttpOptions o = HttpOptions.defaults();
    o = set(p + "header-timeout", h.headerTimeout(), o, x -> x.headerTimeout(h.headerTimeout()));
    o = set(p + "body-timeout", h.bodyTimeout(), o, x -> x.bodyTimeout(h.bodyTimeout()));
    o = set(p + "keep-alive-timeout", h.keepAliveTimeout(), o, x -> x.keepAliveTimeout(h.keepAliveTimeout()));
    o = set(p + "max-body-size", h.maxBodySize(), o, x -> x.maxBodySize(h.maxBodySize().toBytes()));
    o = set(p + "max-long-poll-body-size", h.maxLongPollBodySize(), o,
        x -> x.maxLongPollBodySize(h.maxLongPollBodySize().toBytes()));
    o = set(p + "max-body-bytes-in-flight", h.maxBodyBytesInFlight(), o,
        x -> x.maxBodyBytesInFlight(h.maxBodyBytesInFlight().toBytes()));
    o = set(p + "max-request-line-length", h.maxRequestLineLength(), o,
        x -> x.maxRequestLineLength(toInt(h.maxRequestLineLength())));
    o = set(p + "max-header-size", h.maxHeaderSize(), o, x -> x.maxHeaderSize(toInt(h.maxHeaderSize())));
    o = set(p + "max-pipelined-requests", h.maxPipelinedRequests(), o,
        x -> x.maxPipelinedRequests(h.maxPipelinedRequests()));
    return o;
  }

  static DrainOptions drain(CinderProperties.Drain d) {
    String p = "cinder.drain.";
    DrainOptions o = DrainOptions.defaults();
    o = set(p + "batch-size", d.batchSize(), o, x -> x.batchSize(d.batchSize()));
    o = set(p + "batch-interval", d.batchInterval(), o, x -> x.batchInterval(d.batchInterval()));
    o = set(p + "shutdown", d.shutdown(), o, x -> x.shutdown(d.shutdown()));
    return o;
  }

  /** One option set from one property; Cinder's refusal becomes a startup failure that names the property. */
  private static <T> T set(String property, Object value, T options, UnaryOperator<T> change) {
    try {
      return change.apply(options);
    } catch (IllegalArgumentException | NullPointerException e) {
      // Not chained: the message carries Cinder's reason, and the property is what the reader needs to find.
      throw new IllegalArgumentException(property + "=" + value + " is not allowed: " + e.getMessage());
    }
  }

  /** Sizes Cinder keeps as an int. */
  private static int toInt(DataSize size) {
    long bytes = size.toBytes();
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("it must be at most " + Integer.MAX_VALUE + " bytes");
    }
    return (int) bytes;
  }
}
