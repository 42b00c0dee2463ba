package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that cannot succeed ends the process with exit code 1 and one line on stderr saying what failed and
 * what to do; no stack trace unless CINDER_DEBUG=1 asks for it. Each case is a real JVM, as {@code ./dev example}
 * starts it.
 */
class StartupFailureProcessTest {
  private static final Duration END = Duration.ofSeconds(60);

  @TempDir
  Path workDir;

  private List<String> failedStart(Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(Map.of("SECRET_KEY_BASE", ChatServer.SECRET, "ADMIN_TOKEN", ChatServer.ADMIN));
    all.putAll(env);
    try (ChatProcess process = ChatProcess.start(workDir, all)) {
      int exit = process.awaitExit(END);
      assertThat(exit).as("exit code; output:%n%s", process.output()).isEqualTo(1);
      assertThat(process.output()).as("no stack trace").doesNotContain("\tat ", "Exception in thread");
      List<String> errors = process.errorLines();
      assertThat(errors).as("stderr").hasSize(1);
      assertThat(errors.getFirst()).startsWith("cinder chat: ");
      return errors;
    }
  }

  @Test
  void aTakenPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(ChatProcess.freePortBelowTheEphemeralRange())) {
      String line = failedStart(Map.of("PORT", String.valueOf(taken.getLocalPort()))).getFirst();
      assertThat(line).contains("port " + taken.getLocalPort() + " is already in use", "PORT");
    }
  }

  @Test
  void anUnreachableDatabase() throws Exception {
    int nothing = ChatProcess.freePortBelowTheEphemeralRange();
    String line = failedStart(Map.of("DATABASE_URL", "postgres://chat:secret-pw@127.0.0.1:" + nothing + "/chat")).getFirst();
    assertThat(line).contains("message database", "127.0.0.1:" + nothing, "DATABASE_URL").doesNotContain("secret-pw");
  }

  @Test
  void aDatabaseFileLockedByAnotherProcess() throws Exception {
    String url = "jdbc:h2:file:" + workDir.resolve("held") + ";WRITE_DELAY=0";
    try (Connection holder = DriverManager.getConnection(url)) {
      String line = failedStart(Map.of("DATABASE_URL", url)).getFirst();
      assertThat(line).contains("in use by another process", "AUTO_SERVER=TRUE");
    }
  }

  @Test
  void anUnreachableRedis() throws Exception {
    int nothing = ChatProcess.freePortBelowTheEphemeralRange();
    String line = failedStart(Map.of("PUBSUB", "redis", "REDIS_URL", "redis://127.0.0.1:" + nothing)).getFirst();
    assertThat(line).contains("Redis", "127.0.0.1:" + nothing, "REDIS_URL");
  }

  @Test
  void badValues() throws Exception {
    assertThat(failedStart(Map.of("PORT", "forty")).getFirst()).contains("PORT must be", "forty");
    assertThat(failedStart(Map.of("RATE_LIMIT", "lots")).getFirst()).contains("RATE_LIMIT must look like COUNT/WINDOW_MS");
    assertThat(failedStart(Map.of("PUBSUB", "carrier-pigeon")).getFirst()).contains("PUBSUB must be local or redis");
  }

  @Test
  void cinderDebugAddsTheStackTrace() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("SECRET_KEY_BASE", ChatServer.SECRET, "ADMIN_TOKEN", ChatServer.ADMIN));
    env.put("PORT", "forty");
    env.put("CINDER_DEBUG", "1");
    try (ChatProcess process = ChatProcess.start(workDir, env)) {
      assertThat(process.awaitExit(END)).isEqualTo(1);
      List<String> errors = process.errorLines();
      assertThat(errors.getFirst()).startsWith("cinder chat: PORT must be");
      assertThat(errors).anySatisfy(line -> assertThat(line).startsWith("\tat "));
    }
  }
}
