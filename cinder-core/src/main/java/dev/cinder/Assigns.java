package dev.cinder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Key-value state of a socket or a channel (Phoenix's {@code assigns}). Thread-safe; null values are not kept. */
public final class Assigns {
  private final Map<String, Object> values;

  public Assigns() {
    this.values = new ConcurrentHashMap<>();
  }

  private Assigns(Map<String, Object> values) {
    this.values = new ConcurrentHashMap<>(values);
  }

  public static Assigns of(Map<String, ?> values) {
    Assigns assigns = new Assigns();
    values.forEach(assigns::put);
    return assigns;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(String key) {
    return (T) values.get(key);
  }

  /** Sets a value; a null value removes the key. Returns this, for chaining. */
  public Assigns put(String key, Object value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
    return this;
  }

  public Assigns copy() {
    return new Assigns(values);
  }

  public Map<String, Object> asMap() {
    return Map.copyOf(values);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
