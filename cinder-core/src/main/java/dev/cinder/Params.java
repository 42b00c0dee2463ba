package dev.cinder;

import java.util.Map;

/**
 * The connect parameters of a socket: the query string of the first request, {@code vsn} included. Keys are
 * kept as sent, so a nested client param {@code user[id]=1} is the key {@code "user[id]"}.
 */
public record Params(Map<String, String> values) {
  public Params {
    values = Map.copyOf(values);
  }

  public String get(String key) {
    return values.get(key);
  }

  public String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }
}
