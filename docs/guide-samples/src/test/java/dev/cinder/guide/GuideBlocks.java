package dev.cinder.guide;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ```java} blocks of one guide page, each with the sample marker on the line above it (blank lines
 * between are allowed): {@code <!-- sample: RoomChannel#room-join -->}.
 */
final class GuideBlocks {
  private static final Pattern MARKER = Pattern.compile("^<!-- sample: ([A-Za-z0-9_]+)#([A-Za-z0-9_-]+) -->$");

  /** A java block; {@code className} and {@code region} are null when no marker precedes it. */
  record Block(int line, String className, String region, String text) {
    String sample() {
      return className + "#" + region;
    }
  }

  /** A marker with no java block right after it. */
  record StrayMarker(int line, String text) {}

  record Page(List<Block> blocks, List<StrayMarker> strayMarkers) {}

  private GuideBlocks() {}

  static Page parse(String markdown) {
    List<String> lines = markdown.lines().toList();
    List<Block> blocks = new ArrayList<>();
    List<StrayMarker> stray = new ArrayList<>();
    Matcher pending = null;
    int pendingLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = line.strip();
      Matcher marker = MARKER.matcher(trimmed);
      if (marker.matches()) {
        if (pending != null) {
          stray.add(new StrayMarker(pendingLine, lines.get(pendingLine - 1).strip()));
        }
        pending = marker;
        pendingLine = i + 1;
        continue;
      }
      if (trimmed.startsWith("```")) {
        int end = closingFence(lines, i);
        if (trimmed.equals("```java")) {
          String text = String.join("\n", lines.subList(i + 1, end));
          blocks.add(pending == null
              ? new Block(i + 1, null, null, text)
              : new Block(i + 1, pending.group(1), pending.group(2), text));
        } else if (pending != null) {
          stray.add(new StrayMarker(pendingLine, lines.get(pendingLine - 1).strip()));
        }
        pending = null;
        i = end;
        continue;
      }
      if (!trimmed.isEmpty() && pending != null) {
        stray.add(new StrayMarker(pendingLine, lines.get(pendingLine - 1).strip()));
        pending = null;
      }
    }
    if (pending != null) {
      stray.add(new StrayMarker(pendingLine, lines.get(pendingLine - 1).strip()));
    }
    return new Page(blocks, stray);
  }

  /** The index of the fence closing the block opened at {@code open}; the end of the page if there is none. */
  private static int closingFence(List<String> lines, int open) {
    for (int i = open + 1; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("```")) {
        return i;
      }
    }
    return lines.size();
  }
}
