package dev.cinder;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Topic patterns mapped to channel factories. A pattern is an exact topic or a prefix ending in one {@code *}
 * ({@code "room:*"}); the first pattern that matches wins.
 */
public final class Routes {
  /** A declared route: its pattern as written (e.g. {@code "room:*"}) and its channel factory. */
  public record Route(String pattern, Supplier<? extends Channel> factory) {
    boolean matches(String topic) {
      return pattern.endsWith("*") ? topic.startsWith(pattern.substring(0, pattern.length() - 1)) : topic.equals(pattern);
    }
  }

  private final List<Route> routes = new ArrayList<>();

  /** No routes yet: declare them with {@link #channel}. */
  public Routes() {}

  public Routes channel(String pattern, Supplier<? extends Channel> factory) {
    int star = pattern.indexOf('*');
    if (star >= 0 && star != pattern.length() - 1) {
      throw new IllegalArgumentException("only a trailing * is allowed in a topic pattern: " + pattern);
    }
    routes.add(new Route(pattern, factory));
    return this;
  }

  /** The factory of the first route matching {@code topic}. */
  public Optional<Supplier<? extends Channel>> match(String topic) {
    return route(topic).map(Route::factory);
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
