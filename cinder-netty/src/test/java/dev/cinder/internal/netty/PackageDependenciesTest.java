package dev.cinder.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of this module depend on each other one way only: the public {@code dev.cinder.endpoint} on the
 * internal ones and never back, and no cycle among the internal ones. Read from the main sources' imports and
 * qualified names (comments aside), so that a change that brings a cycle back fails here, not in a review.
 */
class PackageDependenciesTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.cinder\\.(?:endpoint|internal\\.netty)[\\w.]*?)\\.[A-Z]");
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  /** Each package of this module and the packages of this module it uses. */
  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(f -> f.toString().endsWith(".java")).toList();
    }
    for (Path file : files) {
      String source = Files.readString(file);
      Matcher pkg = PACKAGE.matcher(source);
      if (!pkg.find()) {
        continue; // module-info
      }
      String from = pkg.group(1);
      Set<String> used = uses.computeIfAbsent(from, k -> new TreeSet<>());
      Matcher ref = REFERENCE.matcher(COMMENT.matcher(source).replaceAll(""));
      while (ref.find()) {
        if (!ref.group(1).equals(from)) {
          used.add(ref.group(1));
        }
      }
    }
    return uses;
  }

  @Test
  void theInternalPackagesDoNotUseThePublicOne() throws IOException {
    dependencies().forEach((from, used) -> {
      if (from.startsWith("dev.cinder.internal.")) {
        assertThat(used).as(from + " uses").noneMatch(p -> p.startsWith("dev.cinder.endpoint"));
      }
    });
  }

  @Test
  void noPackageCycle() throws IOException {
    Map<String, Set<String>> uses = dependencies();
    assertThat(uses).containsKeys("dev.cinder.endpoint", "dev.cinder.internal.netty.http");
    List<String> cycles = new ArrayList<>();
    for (String start : uses.keySet()) {
      if (reaches(uses, start, start, new TreeSet<>())) {
        cycles.add(start);
      }
    }
    assertThat(cycles).as("packages on a dependency cycle (uses: " + uses + ")").isEmpty();
  }

  private static boolean reaches(Map<String, Set<String>> uses, String from, String target, Set<String> seen) {
    for (String next : uses.getOrDefault(from, Set.of())) {
      if (next.equals(target) || seen.add(next) && reaches(uses, next, target, seen)) {
        return true;
      }
    }
    return false;
  }
}
