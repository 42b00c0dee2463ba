package dev.cinder.endpoint;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Limits and timeouts of the endpoint's HTTP/1.1 server, immutable: start from {@link #defaults()} and change
 * what you need, e.g. {@code HttpOptions.defaults().headerTimeout(Duration.ofSeconds(5))}. Each limit is
 * decided from the request line and headers where it can be, before any body byte is read.
 *
 * <p>For comparison: nginx waits 60 s for a request's headers ({@code client_header_timeout}), 60 s between
 * two reads of a body ({@code client_body_timeout}) and keeps an idle connection 75 s
 * ({@code keepalive_timeout}); Jetty has a single idle timeout of 30 s per connection, plus an optional
 * minimum request data rate; Cowboy (under Phoenix) gives 5 s for the next request's headers and 60 s of
 * inactivity; Netty has no HTTP timeouts of its own (its examples add none; applications add
 * {@code ReadTimeoutHandler} or {@code IdleStateHandler}). Plug reads at most 8,000,000 bytes of a body.
 * Cinder's defaults sit between these: shorter header and body deadlines than nginx, since a Phoenix client
 * sends small requests, and a keep-alive long enough for a long-poll client's 10 s polling window.
 */
public final class HttpOptions {
  /** The settable values; a copy is changed and frozen by {@link #with}. */
  private static final class Values implements Cloneable {
    Duration headerTimeout = Duration.ofSeconds(10);
    Duration bodyTimeout = Duration.ofSeconds(30);
    Duration keepAliveTimeout = Duration.ofSeconds(60);
    long maxBodySize = 64 * 1024;
    long maxLongPollBodySize = 8_000_000;
    long maxBodyBytesInFlight = 64L << 20;
    int maxRequestLineLength = 4096;
    int maxHeaderSize = 8192;
    int maxPipelinedRequests = 128;

    List<Object> all() {
      return List.of(headerTimeout, bodyTimeout, keepAliveTimeout, maxBodySize, maxLongPollBodySize,
          maxBodyBytesInFlight, maxRequestLineLength, maxHeaderSize, maxPipelinedRequests);
    }

    @Override
    protected Values clone() {
      try {
        return (Values) super.clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static final HttpOptions DEFAULTS = new HttpOptions(new Values());

  private final Values v;

  private HttpOptions(Values values) {
    this.v = values;
  }

  /**
   * 10 s for a request's headers, 30 s for its body, 60 s keep-alive; bodies up to 64 KiB on application
   * routes and 8,000,000 bytes on long-poll, 64 MiB of bodies in flight in all; request line up to 4096
   * bytes, headers up to 8192 bytes; 128 pipelined requests in flight per connection.
   */
  public static HttpOptions defaults() {
    return DEFAULTS;
  }

  private HttpOptions with(Consumer<Values> change) {
    Values copy = v.clone();
    change.accept(copy);
    return new HttpOptions(copy);
  }

  /**
   * How long a request's line and headers may take to arrive in full, counted from the connection's opening
   * or from the first byte of a request on a kept-alive connection (from the answer to the request before, if
   * that byte came earlier, pipelined) (default 10 s). A client that sent part of
   * a request gets 408 and the connection is closed (this stops "slowloris" clients that send a header byte
   * now and then); a connection that never sends a byte is closed without an answer, since it asked nothing.
   */
  public Duration headerTimeout() {
    return v.headerTimeout;
  }

  public HttpOptions headerTimeout(Duration value) {
    return with(c -> c.headerTimeout = positive(value, "headerTimeout"));
  }

  /**
   * How long a request's whole body may take to arrive once its headers are in (default 30 s); then 408 and
   * close. A total deadline rather than a minimum rate: it bounds how long any body holds its share of
   * {@link #maxBodyBytesInFlight()}, and the bodies a Phoenix client sends are small (a 64 KiB API call takes
   * well under a second even on a slow mobile link; a full 8 MB long-poll post needs about 2.2 Mbit/s).
   */
  public Duration bodyTimeout() {
    return v.bodyTimeout;
  }

  public HttpOptions bodyTimeout(Duration value) {
    return with(c -> c.bodyTimeout = positive(value, "bodyTimeout"));
  }

  /**
   * How long a connection may wait, with every request answered, for its next request (default 60 s); then it
   * is closed without an answer. Never runs while a response is pending, e.g. a long-poll GET held for its
   * window. Longer than the official long-poll client's gap between two polls.
   */
  public Duration keepAliveTimeout() {
    return v.keepAliveTimeout;
  }

  public HttpOptions keepAliveTimeout(Duration value) {
    return with(c -> c.keepAliveTimeout = positive(value, "keepAliveTimeout"));
  }

  /**
   * The largest body of an application route, in bytes, unless the route sets its own (default 64 KiB:
   * API calls need kilobytes). A larger declared {@code Content-Length} gets 413 before the body is read,
   * a chunked body gets 413 once it grows past the limit; the connection is closed.
   */
  public long maxBodySize() {
    return v.maxBodySize;
  }

  public HttpOptions maxBodySize(long value) {
    return with(c -> c.maxBodySize = atLeast(value, 0, "maxBodySize"));
  }

  /**
   * The largest long-poll POST body, in bytes (default 8,000,000, as Plug's parsers): 413 and close past
   * it. The official client posts a batch of its pending messages, far below this.
   */
  public long maxLongPollBodySize() {
    return v.maxLongPollBodySize;
  }

  public HttpOptions maxLongPollBodySize(long value) {
    return with(c -> c.maxLongPollBodySize = atLeast(value, 1024, "maxLongPollBodySize"));
  }

  /**
   * The memory all request bodies not yet answered may take together, over every connection (default
   * 64 MiB). A declared length takes its room when the headers arrive, a chunked body as it arrives; a
   * request that does not fit gets 503 with {@code Retry-After} and the connection is closed.
   */
  public long maxBodyBytesInFlight() {
    return v.maxBodyBytesInFlight;
  }

  public HttpOptions maxBodyBytesInFlight(long value) {
    return with(c -> c.maxBodyBytesInFlight = atLeast(value, 1024, "maxBodyBytesInFlight"));
  }

  /** The longest request line (method, target, version), default 4096 bytes as Netty's: 414 and close. */
  public int maxRequestLineLength() {
    return v.maxRequestLineLength;
  }

  public HttpOptions maxRequestLineLength(int value) {
    return with(c -> c.maxRequestLineLength = (int) atLeast(value, 256, "maxRequestLineLength"));
  }

  /** The most bytes of header lines, default 8192 as Netty's: 431 and close. */
  public int maxHeaderSize() {
    return v.maxHeaderSize;
  }

  public HttpOptions maxHeaderSize(int value) {
    return with(c -> c.maxHeaderSize = (int) atLeast(value, 1024, "maxHeaderSize"));
  }

  /**
   * How many requests one connection may have in flight (received, not yet answered) when its client
   * pipelines them, default 128 as Netty's pipeline depth. They are answered one at a time in the order
   * sent, and the connection stops reading while one waits, so this bounds only what one burst brought. A
   * client past it gets the answers to the first 128, the last saying {@code Connection: close}, and the
   * connection is closed; browsers do not pipeline at all.
   */
  public int maxPipelinedRequests() {
    return v.maxPipelinedRequests;
  }

  public HttpOptions maxPipelinedRequests(int value) {
    return with(c -> c.maxPipelinedRequests = (int) atLeast(value, 1, "maxPipelinedRequests"));
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }

  private static long atLeast(long value, long min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min);
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HttpOptions other && v.all().equals(other.v.all());
  }

  @Override
  public int hashCode() {
    return v.all().hashCode();
  }

  @Override
  public String toString() {
    return "HttpOptions" + v.all();
  }
}
