package dev.cinder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
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
 * The packages of cinder-core depend on each other without a cycle: the API at the bottom, the runtime above it.
 * Read from the main sources (imports and qualified names in code), so a new cycle fails here, not in review.
 */
class PackageCyclesTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
  // A qualified reference to a Cinder type: lower-case package segments, then a capitalised type name.
  private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.cinder(?:\\.[a-z]\\w*)*)\\.[A-Z]\\w*");
  private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
  private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

  @Test
  void corePackagesFormNoCycle() throws IOException {
    Map<String, Set<String>> graph = dependencies();
    assertThat(graph).containsKeys("dev.cinder", "dev.cinder.internal.socket", "dev.cinder.internal.presence");
    assertThat(cycles(graph)).isEmpty();
  }

  @Test
  void theCheckFindsACycle() {
    Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertThat(cycles(graph)).containsExactly(List.of("a", "b", "c"));
  }

  /** Package → the other Cinder packages its main sources name. */
  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String name = file.getFileName().toString();
        if (name.equals("module-info.java") || name.equals("package-info.java")) {
          continue;
        }
        String source = Files.readString(file);
        Matcher pkg = PACKAGE.matcher(source);
        assertThat(pkg.find()).as("package of %s", file).isTrue();
        String from = pkg.group(1);
        Set<String> targets = graph.computeIfAbsent(from, p -> new TreeSet<>());
        Matcher reference = REFERENCE.matcher(STRING.matcher(COMMENT.matcher(source).replaceAll("")).replaceAll("\"\""));
        while (reference.find()) {
          if (!reference.group(1).equals(from)) {
            targets.add(reference.group(1));
          }
        }
      }
    }
    return graph;
  }

  /** The strongly connected components with more than one package (Tarjan), each sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    List<List<String>> found = new ArrayList<>();
    for (String node : new TreeSet<>(graph.keySet())) {
      if (!index.containsKey(node)) {
        connect(node, graph, index, low, stack, found);
      }
    }
    return found;
  }

  private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, List<List<String>> found) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, graph, index, low, stack, found);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (stack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      List<String> component = new ArrayList<>();
      String member;
      do {
        member = stack.pop();
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        component.sort(null);
        found.add(component);
      }
    }
  }
}
