package dev.cinder.example.chat;

import dev.cinder.http.HttpHandler;
import dev.cinder.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat page and its files, read once from the classpath ({@code web/}, filled by the build: the page's own
 * files plus {@code phoenix.mjs} from the official npm package). Only the files listed here are served, each
 * under one exact path, so no request path can reach anything else.
 */
public final class WebAssets {
  private static final Logger log = LoggerFactory.getLogger(WebAssets.class);

  /** URL path → classpath resource under {@code web/}. */
  private static final Map<String, String> FILES = Map.of(
      "/", "index.html",
      "/app.js", "app.js",
      "/style.css", "style.css",
      "/favicon.svg", "favicon.svg",
      "/vendor/phoenix.mjs", "vendor/phoenix.mjs",
      "/vendor/phoenix.mjs.map", "vendor/phoenix.mjs.map",
      "/vendor/recovery.mjs", "vendor/recovery.mjs");

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "mjs", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "map", "application/json; charset=utf-8");

  // The page loads only its own scripts and styles and talks only to its own origin.
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final Map<String, HttpHandler> routes;

  private WebAssets(Map<String, HttpHandler> routes) {
    this.routes = routes;
  }

  public static WebAssets fromClasspath() {
    Map<String, HttpHandler> routes = new LinkedHashMap<>();
    FILES.forEach((path, resource) -> {
      byte[] body = read("web/" + resource);
      if (body == null) {
        log.warn("web/{} is missing from the classpath: build the example with npm available "
            + "(mvn -pl examples/chat -am install) to serve the chat page", resource);
        routes.put(path, request -> HttpResponse.error(503, "this file was not built: web/" + resource));
      } else {
        HttpResponse response = respond(resource, body);
        routes.put(path, request -> response);
      }
    });
    return new WebAssets(routes);
  }

  /** GET routes, exact paths. */
  public Map<String, HttpHandler> routes() {
    return routes;
  }

  private static HttpResponse respond(String resource, byte[] body) {
    String type = TYPES.getOrDefault(resource.substring(resource.lastIndexOf('.') + 1), "application/octet-stream");
    HttpResponse response = HttpResponse.bytes(200, type, body)
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("Cache-Control", "no-cache")
        .withHeader("Referrer-Policy", "no-referrer");
    return type.startsWith("text/html") ? response.withHeader("Content-Security-Policy", CSP) : response;
  }

  private static byte[] read(String resource) {
    try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
