package dev.cinder.http;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Settings of one application route, immutable: start from {@link #defaults()} and change what you need,
 * e.g. {@code RouteOptions.defaults().maxBodySize(1 << 20).guard(adminOnly)}.
 */
public final class RouteOptions {
  private static final RouteOptions DEFAULTS = new RouteOptions(OptionalLong.empty(), HttpGuard.NONE);

  private final OptionalLong maxBodySize;
  private final HttpGuard guard;

  private RouteOptions(OptionalLong maxBodySize, HttpGuard guard) {
    this.maxBodySize = maxBodySize;
    this.guard = guard;
  }

  /** The endpoint's default body limit, no guard. */
  public static RouteOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The largest request body this route accepts, in bytes; empty means the endpoint's default. A larger
   * declared {@code Content-Length} is answered 413 before the body is read, and the connection closed.
   */
  public OptionalLong maxBodySize() {
    return maxBodySize;
  }

  public RouteOptions maxBodySize(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("maxBodySize must not be negative");
    }
    return new RouteOptions(OptionalLong.of(value), guard);
  }

  /** The check of the request line and headers that runs before the body is read. */
  public HttpGuard guard() {
    return guard;
  }

  public RouteOptions guard(HttpGuard value) {
    return new RouteOptions(maxBodySize, Objects.requireNonNull(value, "guard"));
  }

  @Override
  public String toString() {
    return "RouteOptions[maxBodySize=" + maxBodySize + ", guard=" + guard + "]";
  }
}
