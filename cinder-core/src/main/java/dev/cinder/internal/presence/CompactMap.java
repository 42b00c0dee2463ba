package dev.cinder.internal.presence;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map in one array, keys in insertion order, for presence metas: a handful of fields each, held
 * for every tracked presence, so a {@code LinkedHashMap} (a table and an entry object per field) would cost
 * several times more. Lookups scan, which is faster than hashing at these sizes.
 */
public final class CompactMap extends AbstractMap<String, Object> {
  private final Object[] keysAndValues; // k0, v0, k1, v1, …

  private CompactMap(Object[] keysAndValues) {
    this.keysAndValues = keysAndValues;
  }

  /** An immutable copy of {@code map} in its iteration order (or {@code map} itself if already one). */
  public static CompactMap copyOf(Map<String, ?> map) {
    if (map instanceof CompactMap compact) {
      return compact;
    }
    Object[] array = new Object[map.size() * 2];
    int i = 0;
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      array[i++] = entry.getKey();
      array[i++] = entry.getValue();
    }
    return new CompactMap(array);
  }

  @Override
  public int size() {
    return keysAndValues.length / 2;
  }

  @Override
  public Object get(Object key) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i].equals(key)) {
        return keysAndValues[i + 1];
      }
    }
    return null;
  }

  @Override
  public boolean containsKey(Object key) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i].equals(key)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return CompactMap.this.size();
      }

      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keysAndValues.length;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, Object> entry = new SimpleImmutableEntry<>((String) keysAndValues[next], keysAndValues[next + 1]);
            next += 2;
            return entry;
          }
        };
      }
    };
  }
}
