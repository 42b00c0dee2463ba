package dev.cinder;

import java.util.HashMap;
import java.util.Map;

/**
 * Key-value state of a socket or a channel (Phoenix's {@code assigns}). Thread-safe; null values are not kept.
 *
 * <p>Copy-on-write over an immutable map: assigns are read often and written rarely (at connect, now and then
 * in a channel), and every channel starts from a copy of its socket's. A copy shares the map until one side
 * writes, so an idle socket with one channel holds one small map instead of two hash tables.
 */
public final class Assigns {
  private volatile Map<String, Object> values;

  public Assigns() {
    this(Map.of());
  }

  private Assigns(Map<String, Object> values) {
    this.values = values;
  }

  public static Assigns of(Map<String, ?> values) {
    Map<String, Object> kept = new HashMap<>();
    values.forEach((k, v) -> {
      if (v != null) {
        kept.put(k, v);
      }
    });
    return new Assigns(Map.copyOf(kept));
  }

  @SuppressWarnings("unchecked")
  public <T> T get(String key) {
    return (T) values.get(key);
  }

  /** Sets a value; a null value removes the key. Returns this, for chaining. */
  public synchronized Assigns put(String key, Object value) {
    Map<String, Object> changed = new HashMap<>(values);
    if (value == null) {
      changed.remove(key);
    } else {
      changed.put(key, value);
    }
    values = Map.copyOf(changed);
    return this;
  }

  /** An independent copy; it shares storage with this one until either is written. */
  public Assigns copy() {
    return new Assigns(values);
  }

  /** An immutable snapshot. */
  public Map<String, Object> asMap() {
    return values;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
