package dev.cinder.client.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Building the transport URLs from a socket endpoint, as phoenix.js does. */
public final class Urls {
  private Urls() {}

  /** A socket endpoint: a ws, wss, http or https URL with a host, else an {@link IllegalArgumentException}. */
  public static URI endpoint(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("endpoint is not a URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!List.of("ws", "wss", "http", "https").contains(scheme) || uri.getHost() == null) {
      throw new IllegalArgumentException("endpoint must be a ws://, wss://, http:// or https:// URL with a host, got \""
          + endpoint + "\"");
    }
    return uri;
  }

  /** {@code endpoint + "/" + suffix + "?" + query}, with the scheme switched to ws(s) or http(s). */
  public static URI of(URI endpoint, String suffix, Map<String, String> query, boolean webSocket) {
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase();
    boolean secure = scheme.equals("wss") || scheme.equals("https");
    String newScheme = webSocket ? (secure ? "wss" : "ws") : (secure ? "https" : "http");
    String rest = endpoint.toString().substring(scheme.length());
    String base = newScheme + rest;
    int q = base.indexOf('?');
    String path = q < 0 ? base : base.substring(0, q);
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    StringBuilder url = new StringBuilder(path).append('/').append(suffix);
    char sep = '?';
    if (q >= 0 && q + 1 < base.length()) {
      url.append('?').append(base.substring(q + 1));
      sep = '&';
    }
    for (Map.Entry<String, String> e : query.entrySet()) {
      url.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return URI.create(url.toString());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
