package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The guide's pages show exactly the compiled samples: every ```java block in docs/guide/*.md has a
 * {@code <!-- sample: Class#region -->} marker and equals that region of the class in this module.
 */
class GuideSamplesMatchTest {
  /** This module's directory: the tests run in it (surefire's working directory is the module's basedir). */
  private static final Path MODULE = Path.of("").toAbsolutePath();
  private static final Path GUIDE = MODULE.resolveSibling("guide");

  @Test
  void everyJavaBlockOfTheGuideIsItsCompiledRegion() throws IOException {
    List<Path> pages = pages();
    assertThat(pages).as("pages in " + GUIDE).isNotEmpty();
    SampleCheck check = SampleCheck.over(List.of(MODULE.resolve("src/main/java"), MODULE.resolve("src/test/java")));
    List<String> problems = new ArrayList<>();
    int blocks = 0;
    for (Path page : pages) {
      String markdown = Files.readString(page);
      problems.addAll(check.check("docs/guide/" + page.getFileName(), markdown));
      blocks += GuideBlocks.parse(markdown).blocks().size();
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " code sample(s) of docs/guide disagree with docs/guide-samples:\n"
          + String.join("\n", problems));
    }
    assertThat(blocks).as("java blocks checked").isGreaterThan(20);
  }

  private static List<Path> pages() throws IOException {
    try (Stream<Path> files = Files.list(GUIDE)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
    }
  }
}
