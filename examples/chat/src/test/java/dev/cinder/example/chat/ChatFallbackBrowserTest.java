package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat page where the WebSocket route is unavailable, in Debian's Chromium driven by playwright-core
 * (src/test/js/chat-fallback.mjs): alice opens the page through a proxy that passes HTTP but refuses WebSocket
 * upgrades, so the official client's {@code longPollFallbackMs} moves her to {@code /socket/longpoll}; bob opens
 * it directly on a WebSocket. They see each other online and chat both ways; alice's tab remembers the fallback
 * on a reload. The example runs in this JVM and allows both origins. The screenshot stays in target/browser/.
 */
class ChatFallbackBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCRIPT_DIR = Path.of("src/test/js");
  private static final Path OUT = Path.of("target/browser");

  @TempDir
  Path workDir;
  private ChatApp app;
  private int proxyPort;

  @BeforeEach
  void start() {
    int port = ChatProcess.freePortBelowTheEphemeralRange();
    proxyPort = ChatProcess.freePortBelowTheEphemeralRange();
    List<String> origins = List.of("http://127.0.0.1:" + port, "http://127.0.0.1:" + proxyPort);
    app = ChatApp.start(new ChatConfig(port, ChatServer.SECRET, ChatServer.ADMIN, origins, Duration.ofSeconds(60),
        ChatServer.DEFAULT_RATE, "jdbc:h2:file:" + workDir.resolve("chat") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", ChatConfig.ClusterSetting.local()));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void withoutWebSocketsThePageFallsBackToLongPollAndKeepsWorking() throws Exception {
    assertThat(CHROMIUM).as("Debian's Chromium is needed: apt-get install chromium").isExecutable();
    assertThat(SCRIPT_DIR.resolve("node_modules/playwright-core")).as("run npm ci in " + SCRIPT_DIR).isDirectory();
    Files.createDirectories(OUT);
    Path screenshot = OUT.resolve("chat-fallback-alice.png");
    Files.deleteIfExists(screenshot);
    Process node = new ProcessBuilder("node", "chat-fallback.mjs", "http://127.0.0.1:" + app.port() + "/",
        String.valueOf(proxyPort), OUT.toAbsolutePath().toString())
        .directory(SCRIPT_DIR.toFile())
        .redirectErrorStream(true)
        .start();
    String output;
    try {
      boolean ended = node.waitFor(45, TimeUnit.SECONDS);
      if (!ended) {
        destroyTree(node);
      }
      output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Files.writeString(OUT.resolve("chat-fallback.log"), output);
      assertThat(ended).as("the browser script ends in time:\n" + output).isTrue();
    } finally {
      destroyTree(node);
    }
    assertThat(node.exitValue()).as(output).isZero();
    assertThat(output).contains("\"alice fell back to long-poll\"", "\"bob is on a WebSocket and both see each other online\"",
        "\"bob sees alice's message\"", "\"alice sees bob's reply\"", "\"alice's reload goes straight to long-poll\"", "\"done\"");
    byte[] png = Files.readAllBytes(screenshot);
    assertThat(png.length).as(screenshot + " size").isGreaterThan(10_000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }

  /** Node and the Chromium it started: nothing may outlive the test. */
  private static void destroyTree(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
