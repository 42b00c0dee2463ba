package dev.cinder.bench.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Which topics a client joins: a comma-separated list where {@code {K}} stands for the client's index modulo K,
 * so {@code bench:hot,bench:s4-{4},bench:s16-{16}} puts client 5 on {@code bench:hot}, {@code bench:s4-1} and
 * {@code bench:s16-5}: one topic, and the same clients sharded over 4 and 16 topics.
 */
public final class Topics {
  private Topics() {}

  public static List<String> resolve(String spec, int index) {
    List<String> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      int open = part.indexOf('{');
      if (open < 0) {
        out.add(part);
      } else {
        int close = part.indexOf('}', open);
        int shards = Integer.parseInt(part.substring(open + 1, close));
        out.add(part.substring(0, open) + (index % shards) + part.substring(close + 1));
      }
    }
    return out;
  }

  /** Every topic the spec's {@code {K}} part expands to, e.g. {@code bench:s4-{4}} → bench:s4-0 … bench:s4-3. */
  public static List<String> expand(String part) {
    int open = part.indexOf('{');
    if (open < 0) {
      return List.of(part);
    }
    int shards = Integer.parseInt(part.substring(open + 1, part.indexOf('}', open)));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      out.add(resolve(part, i).getFirst());
    }
    return out;
  }
}
