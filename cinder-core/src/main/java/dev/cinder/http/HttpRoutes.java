package dev.cinder.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Method + path patterns ({@code /api/users/{id}/disconnect}) mapped to handlers; first match wins. */
public final class HttpRoutes {
  /** A route that matched, with the values of its {@code {name}} segments and its settings. */
  public record Match(HttpHandler handler, Map<String, String> pathParams, RouteOptions options) {}

  private record Route(String method, String[] segments, HttpHandler handler, RouteOptions options) {}

  private final List<Route> routes = new ArrayList<>();

  /** No routes yet: declare them with {@link #add}. */
  public HttpRoutes() {}

  public HttpRoutes add(String method, String pattern, HttpHandler handler) {
    return add(method, pattern, handler, RouteOptions.defaults());
  }

  public HttpRoutes add(String method, String pattern, HttpHandler handler, RouteOptions options) {
    routes.add(new Route(method.toUpperCase(java.util.Locale.ROOT), split(pattern), handler, options));
    return this;
  }

  /** The route for a request; an empty result with {@link #pathExists} true means "wrong method". */
  public Optional<Match> match(String method, String path) {
    String[] parts = split(path);
    for (Route route : routes) {
      if (route.method().equals(method)) {
        Map<String, String> params = bind(route.segments(), parts);
        if (params != null) {
          return Optional.of(new Match(route.handler(), params, route.options()));
        }
      }
    }
    return Optional.empty();
  }

  public boolean pathExists(String path) {
    String[] parts = split(path);
    return routes.stream().anyMatch(r -> bind(r.segments(), parts) != null);
  }

  private static Map<String, String> bind(String[] pattern, String[] parts) {
    if (pattern.length != parts.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (parts[i].isEmpty()) {
          return null; // "/users/" or "/users//x": no value for the parameter
        }
        params.put(p.substring(1, p.length() - 1), parts[i]);
      } else if (!p.equals(parts[i])) {
        return null;
      }
    }
    return params;
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }
}
