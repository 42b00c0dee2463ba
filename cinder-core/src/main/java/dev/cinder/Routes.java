package dev.cinder;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Topic patterns mapped to channel factories. A pattern is an exact topic or a prefix ending in one {@code *}
 * ({@code "room:*"}); the first pattern that matches wins. A route may keep a {@link History} of its topics'
 * broadcasts, so that clients that reconnect recover what they missed.
 */
public final class Routes {
  /**
   * A declared route: its pattern as written (e.g. {@code "room:*"}), its channel factory, and the history its
   * topics keep (null: none).
   */
  public record Route(String pattern, Supplier<? extends Channel> factory, History history) {
    /** Whether {@code topic} is this route's: equal to its pattern, or starting with a pattern's prefix before *. */
    public boolean matches(String topic) {
      return pattern.endsWith("*") ? topic.startsWith(pattern.substring(0, pattern.length() - 1)) : topic.equals(pattern);
    }
  }

  private final List<Route> routes = new ArrayList<>();

  /** No routes yet: declare them with {@link #channel}. */
  public Routes() {}

  public Routes channel(String pattern, Supplier<? extends Channel> factory) {
    return channel(pattern, factory, null);
  }

  /**
   * A route whose topics keep a history of their broadcasts ({@code null}: none), e.g.
   * {@code channel("room:*", RoomChannel::new, History.of(1000, Duration.ofMinutes(5)))}.
   */
  public Routes channel(String pattern, Supplier<? extends Channel> factory, History history) {
    int star = pattern.indexOf('*');
    if (star >= 0 && star != pattern.length() - 1) {
      throw new IllegalArgumentException("only a trailing * is allowed in a topic pattern: " + pattern);
    }
    routes.add(new Route(pattern, factory, history));
    return this;
  }

  /** The factory of the first route matching {@code topic}. */
  public Optional<Supplier<? extends Channel>> match(String topic) {
    return route(topic).map(Route::factory);
  }

  /** Every route, in the order declared. */
  public List<Route> all() {
    return List.copyOf(routes);
  }

  /** The first route matching {@code topic}. */
  public Optional<Route> route(String topic) {
    for (Route route : routes) {
      if (route.matches(topic)) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }
}
