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
  private record Route(String pattern, boolean prefix, Supplier<? extends Channel> factory) {
    boolean matches(String topic) {
      return prefix ? topic.startsWith(pattern) : topic.equals(pattern);
    }
  }

  private final List<Route> routes = new ArrayList<>();

  public Routes channel(String pattern, Supplier<? extends Channel> factory) {
    int star = pattern.indexOf('*');
    if (star >= 0 && star != pattern.length() - 1) {
      throw new IllegalArgumentException("only a trailing * is allowed in a topic pattern: " + pattern);
    }
    boolean prefix = star >= 0;
    routes.add(new Route(prefix ? pattern.substring(0, star) : pattern, prefix, factory));
    return this;
  }

  /** The factory of the first route matching {@code topic}. */
  public Optional<Supplier<? extends Channel>> match(String topic) {
    for (Route route : routes) {
      if (route.matches(topic)) {
        return Optional.of(route.factory());
      }
    }
    return Optional.empty();
  }
}
