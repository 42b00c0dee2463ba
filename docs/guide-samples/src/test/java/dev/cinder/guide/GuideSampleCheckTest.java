package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The check itself: it passes a faithful page and names each way a page can drift from the samples. */
class GuideSampleCheckTest {
  private static final String SOURCE = """
      class Greeter {
        // region: greet
        String greet(String name) {
          // region: inner
          String text = "hello " + name;
          // endregion
          return text;
        }
        // endregion
      }
      """;
  private final SampleCheck check = new SampleCheck(name -> Optional.ofNullable(Map.of("Greeter", SOURCE).get(name)));

  @Test
  void regionsAreDedentedAndNestedMarkersLeftOut() {
    assertThat(SampleRegions.of(SOURCE)).containsExactly(
        Map.entry("inner", "String text = \"hello \" + name;"),
        Map.entry("greet", "String greet(String name) {\n  String text = \"hello \" + name;\n  return text;\n}"));
  }

  @Test
  void aFaithfulPagePasses() {
    String page = """
        Some text.

        <!-- sample: Greeter#inner -->
        ```java
        String text = "hello " + name;
        ```

        ```bash
        ./dev test
        ```
        """;
    assertThat(check.check("page.md", page)).isEmpty();
  }

  @Test
  void aChangedBlockIsReportedWithItsFirstDifferentLine() {
    String page = """
        <!-- sample: Greeter#greet -->
        ```java
        String greet(String name) {
          String text = "hi " + name;
          return text;
        }
        ```
        """;
    List<String> problems = check.check("page.md", page);
    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst())
        .startsWith("page.md:2: sample Greeter#greet differs from its region in Greeter.java")
        .contains("block line 2:", "region:   String text = \"hello \" + name;", "page:     String text = \"hi \" + name;");
  }

  @Test
  void aBlockWithoutMarkerFails() {
    String page = """
        Text.

        ```java
        int x = 1;
        ```
        """;
    assertThat(check.check("page.md", page)).singleElement().asString()
        .startsWith("page.md:3: a ```java block without a marker");
  }

  @Test
  void unknownClassesRegionsAndStrayMarkersFail() {
    String page = """
        <!-- sample: Missing#greet -->
        ```java
        x
        ```
        <!-- sample: Greeter#nope -->
        ```java
        x
        ```
        <!-- sample: Greeter#greet -->
        Text where the block should be.
        """;
    assertThat(check.check("page.md", page)).containsExactly(
        "page.md:9: the marker <!-- sample: Greeter#greet --> is not followed by a ```java block",
        "page.md:2: sample Missing#greet: no class Missing in docs/guide-samples/src/{main,test}/java/dev/cinder/guide",
        "page.md:6: sample Greeter#nope: Greeter.java has no region nope (it has [inner, greet])");
  }

  @Test
  void brokenRegionMarkersAreErrors() {
    assertThatThrownBy(() -> SampleRegions.of("// region: a\nx\n"))
        .hasMessage("region a has no // endregion");
    assertThatThrownBy(() -> SampleRegions.of("x\n// endregion\n"))
        .hasMessage("line 2: // endregion without a region");
    assertThatThrownBy(() -> SampleRegions.of("// region: a\n// endregion\n// region: a\n// endregion\n"))
        .hasMessage("region a is defined twice");
  }
}
