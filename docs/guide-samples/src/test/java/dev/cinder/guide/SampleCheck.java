package dev.cinder.guide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks guide pages against the sample sources: every java block has a marker, and shows exactly the region
 * the marker names. Each problem is one readable message naming the page, the line and what to do.
 */
final class SampleCheck {
  /** Finds the source text of a sample class by its simple name, or empty when there is none. */
  private final Function<String, Optional<String>> sources;
  private final Map<String, Map<String, String>> regions = new HashMap<>();

  SampleCheck(Function<String, Optional<String>> sources) {
    this.sources = sources;
  }

  /** Looks a class up as {@code <root>/dev/cinder/guide/<Name>.java} under each source root, in order. */
  static SampleCheck over(List<Path> sourceRoots) {
    return new SampleCheck(name -> sourceRoots.stream()
        .map(root -> root.resolve("dev/cinder/guide/" + name + ".java"))
        .filter(Files::isRegularFile)
        .findFirst()
        .map(SampleCheck::read));
  }

  /** The problems of one page; {@code page} names it in the messages. */
  List<String> check(String page, String markdown) {
    List<String> problems = new ArrayList<>();
    GuideBlocks.Page parsed = GuideBlocks.parse(markdown);
    for (GuideBlocks.StrayMarker stray : parsed.strayMarkers()) {
      problems.add(page + ":" + stray.line() + ": the marker " + stray.text() + " is not followed by a ```java block");
    }
    for (GuideBlocks.Block block : parsed.blocks()) {
      if (block.className() == null) {
        problems.add(page + ":" + block.line() + ": a ```java block without a marker; put the code in a region of a "
            + "class in docs/guide-samples and write <!-- sample: Class#region --> on the line above the block");
        continue;
      }
      Map<String, String> classRegions;
      try {
        classRegions = regionsOf(block.className());
      } catch (IllegalArgumentException e) {
        problems.add(page + ":" + block.line() + ": " + block.className() + ".java: " + e.getMessage());
        continue;
      }
      if (classRegions == null) {
        problems.add(page + ":" + block.line() + ": sample " + block.sample() + ": no class " + block.className()
            + " in docs/guide-samples/src/{main,test}/java/dev/cinder/guide");
        continue;
      }
      String expected = classRegions.get(block.region());
      if (expected == null) {
        problems.add(page + ":" + block.line() + ": sample " + block.sample() + ": " + block.className()
            + ".java has no region " + block.region() + " (it has " + classRegions.keySet() + ")");
      } else if (!expected.equals(block.text())) {
        problems.add(page + ":" + block.line() + ": sample " + block.sample() + " differs from its region in "
            + block.className() + ".java; copy the region into the page (or change both)\n"
            + firstDifference(expected, block.text()));
      }
    }
    return problems;
  }

  private Map<String, String> regionsOf(String className) {
    if (!regions.containsKey(className)) {
      regions.put(className, sources.apply(className).map(SampleRegions::of).orElse(null));
    }
    return regions.get(className);
  }

  /** The first line where the two texts part, numbered from the block's first line. */
  static String firstDifference(String expected, String actual) {
    List<String> want = expected.lines().toList();
    List<String> got = actual.lines().toList();
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      String w = i < want.size() ? want.get(i) : "<end of region>";
      String g = i < got.size() ? got.get(i) : "<end of block>";
      if (!w.equals(g)) {
        return "    block line " + (i + 1) + ":\n      region: " + w + "\n      page:   " + g;
      }
    }
    return "    (they differ in blank lines at the end)";
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
