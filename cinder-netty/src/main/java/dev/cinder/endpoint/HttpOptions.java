package dev.cinder.endpoint;

import java.util.List;
import java.util.function.Consumer;

/**
 * Limits of the endpoint's HTTP/1.1 server, immutable: start from {@link #defaults()} and change what you
 * need, e.g. {@code HttpOptions.defaults().maxPipelinedRequests(16)}.
 */
public final class HttpOptions {
  /** The settable values; a copy is changed and frozen by {@link #with}. */
  private static final class Values implements Cloneable {
    int maxPipelinedRequests = 128;

    List<Object> all() {
      return List.of(maxPipelinedRequests);
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

  /** 128 pipelined requests in flight per connection. */
  public static HttpOptions defaults() {
    return DEFAULTS;
  }

  private HttpOptions with(Consumer<Values> change) {
    Values copy = v.clone();
    change.accept(copy);
    return new HttpOptions(copy);
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
