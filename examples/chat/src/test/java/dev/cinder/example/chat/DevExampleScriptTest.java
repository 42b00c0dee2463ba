package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./dev example} as a user runs it: the JVM gets a bounded heap, and a start that fails is the app's own
 * line on stderr with its exit status, with no build tool's report around it.
 */
class DevExampleScriptTest {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Map<String, String> ENV = Map.of("SECRET_KEY_BASE", ChatServer.SECRET, "ADMIN_TOKEN", ChatServer.ADMIN,
      "DATABASE_URL", "jdbc:h2:mem:dev-script-test");

  @Test
  void theExampleRunsWithABoundedHeap() throws Exception {
    try (ChatProcess example = ChatProcess.startDevScript(ENV)) {
      example.awaitPort(START);
      assertThat(example.output()).contains("Java heap: at most 512 MiB");
      assertThat(example.stop()).isEqualTo(143);
    }
    try (ChatProcess example = ChatProcess.startDevScript(withEnv("CINDER_HEAP", "300m"))) {
      example.awaitPort(START);
      assertThat(example.output()).contains("Java heap: at most 300 MiB");
    }
  }

  @Test
  void aFailedStartIsOneLineOnStderrAndExitStatusOne() throws Exception {
    for (Map<String, String> env : List.of(withEnv("PORT", "forty"), withEnv("CINDER_HEAP", "lots"))) {
      try (ChatProcess example = ChatProcess.startDevScript(env)) {
        assertThat(example.awaitExit(START)).as(env.toString()).isEqualTo(1);
        assertThat(example.errorLines()).as(env.toString()).singleElement().satisfies(line ->
            assertThat(line).startsWith("cinder chat: ").containsAnyOf("PORT must be", "CINDER_HEAP must be"));
        assertThat(example.output()).doesNotContain("[ERROR]", "BUILD FAILURE", "\tat ");
      }
    }
  }

  private static Map<String, String> withEnv(String name, String value) {
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put(name, value);
    return env;
  }
}
