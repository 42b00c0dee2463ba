package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat page in a real browser: Debian's Chromium, driven by playwright-core from a Node script
 * (src/test/js/chat-page.mjs), against the example running as its own JVM, configured like {@code ./dev example}.
 * Two users sign in, join one room and see each other in its online list (one of them also on a phone: two
 * devices; then away, then back to one device when the phone leaves), see each other's typing and messages, one
 * blocks the other; the server process stops and starts again with a new secret (the page shows reconnecting,
 * fetches a new token, then is connected with the history and the online list again); one user closes the page
 * and leaves the other's list; a third user is refused at {@code #secret}. Screenshots stay in target/browser/.
 */
class ChatPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCRIPT_DIR = Path.of("src/test/js");
  private static final Path OUT = Path.of("target/browser");
  private static final String END = "\u0000end";
  private static final Duration START = Duration.ofSeconds(30);

  @TempDir
  Path workDir;
  private Map<String, String> env;
  private ChatProcess server;

  /** The example as {@code ./dev example} runs it: its own JVM, configured by the environment (default origins). */
  @BeforeEach
  void start() throws Exception {
    int port = ChatProcess.freePortBelowTheEphemeralRange();
    // No SECRET_KEY_BASE: each start makes up its own, so after the restart the page needs a new token.
    env = Map.of("PORT", String.valueOf(port), "ADMIN_TOKEN", ChatServer.ADMIN);
    server = ChatProcess.start(workDir, env);
    server.awaitPort(START);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void twoUsersChatInTheBrowser() throws Exception {
    assertThat(CHROMIUM).as("Debian's Chromium is needed: apt-get install chromium").isExecutable();
    assertThat(SCRIPT_DIR.resolve("node_modules/playwright-core")).as("run npm ci in " + SCRIPT_DIR).isDirectory();
    Files.createDirectories(OUT);
    String pageUrl = "http://127.0.0.1:" + env.get("PORT") + "/";
    Process node = new ProcessBuilder("node", "chat-page.mjs", pageUrl, ChatServer.ADMIN, OUT.toAbsolutePath().toString())
        .directory(SCRIPT_DIR.toFile())
        .redirectErrorStream(true)
        .start();
    List<String> output = new CopyOnWriteArrayList<>();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofPlatform().daemon().name("chat-page-output").start(() -> pump(node, output, lines));
    try {
      follow(lines, output);
      assertThat(node.waitFor(10, TimeUnit.SECONDS)).as(String.join("\n", output)).isTrue();
      assertThat(node.exitValue()).as(String.join("\n", output)).isZero();
      assertThat(String.join("\n", output)).contains("\"both see each other online\"",
          "\"alice sees bob on two devices\"", "\"alice sees bob away\"", "\"bob sees alice typing\"", "\"bob sees the message\"",
          "\"alice sees bob's reply, HTML stripped\"", "\"bob sees a notification\"", "\"bob blocked alice\"",
          "\"bob sees reconnecting\"", "\"bob is connected again\"",
          "\"alice sees bob's phone leave\"", "\"bob's online list is back after the restart\"",
          "\"alice left and bob no longer sees her\"", "\"carol is refused at #secret\"", "\"done\"");
    } finally {
      destroyTree(node);
      Files.write(OUT.resolve("chat-page.log"), output);
    }
    for (String name : List.of("chat-page-bob.png", "chat-page-alice.png", "chat-page-phone.png", "chat-page-reconnecting.png",
        "chat-page-refused.png")) {
      assertPng(OUT.resolve(name));
    }
  }

  /** Reads the script's steps until it ends, stopping the server and starting it again when it asks. */
  private void follow(BlockingQueue<String> lines, List<String> output) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(line).as("the browser script goes on in time; so far:\n" + String.join("\n", output)).isNotNull();
      if (line.equals(END)) {
        return;
      }
      if (line.contains("\"step\":\"stop the server\"")) {
        server.stop();
      } else if (line.contains("\"step\":\"bob sees reconnecting\"")) {
        server = ChatProcess.start(workDir, env); // same port, same ./data/
        server.awaitPort(START);
      }
    }
  }

  private static void pump(Process node, List<String> output, BlockingQueue<String> lines) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.add(line);
        lines.add(line);
      }
    } catch (IOException e) {
      output.add("(output lost: " + e + ")");
    } finally {
      lines.add(END);
    }
  }

  private static void assertPng(Path file) throws IOException {
    assertThat(file).exists();
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes.length).as(file + " size").isGreaterThan(10_000);
    assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }

  /** Node and the Chromium it started: nothing may outlive the test. */
  private static void destroyTree(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
