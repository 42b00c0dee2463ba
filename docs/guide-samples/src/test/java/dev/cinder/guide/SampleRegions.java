package dev.cinder.guide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named regions of one source file: the lines between {@code // region: name} and its {@code // endregion},
 * without the markers of regions nested inside, and without the indentation all their lines share.
 */
final class SampleRegions {
  private static final Pattern START = Pattern.compile("^\\s*// region: ([A-Za-z0-9_-]+)\\s*$");
  private static final Pattern END = Pattern.compile("^\\s*// endregion\\s*$");

  private SampleRegions() {}

  /** Region name to text; throws {@link IllegalArgumentException} on an unclosed, stray or repeated marker. */
  static Map<String, String> of(String source) {
    List<String> lines = source.lines().toList();
    Map<String, String> regions = new LinkedHashMap<>();
    List<String> open = new ArrayList<>(); // names of the regions open at this line, innermost last
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher start = START.matcher(lines.get(i));
      if (start.matches()) {
        open.add(start.group(1));
        starts.add(i);
      } else if (END.matcher(lines.get(i)).matches()) {
        if (open.isEmpty()) {
          throw new IllegalArgumentException("line " + (i + 1) + ": // endregion without a region");
        }
        String name = open.removeLast();
        int from = starts.removeLast();
        if (regions.put(name, text(lines.subList(from + 1, i))) != null) {
          throw new IllegalArgumentException("region " + name + " is defined twice");
        }
      }
    }
    if (!open.isEmpty()) {
      throw new IllegalArgumentException("region " + open.getLast() + " has no // endregion");
    }
    return regions;
  }

  private static String text(List<String> body) {
    List<String> kept = body.stream()
        .filter(line -> !START.matcher(line).matches() && !END.matcher(line).matches())
        .toList();
    int indent = kept.stream().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    List<String> out = new ArrayList<>(kept.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList());
    while (!out.isEmpty() && out.getFirst().isEmpty()) {
      out.removeFirst();
    }
    while (!out.isEmpty() && out.getLast().isEmpty()) {
      out.removeLast();
    }
    return String.join("\n", out);
  }
}
