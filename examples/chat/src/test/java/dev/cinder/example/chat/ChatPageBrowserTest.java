package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chat page in a real browser: Debian's Chromium, driven by playwright-core from a Node script
 * (src/test/js/chat-page.mjs), against the example running here. Two users sign in, join one room, see each
 * other's typing and messages, one blocks the other; a third is refused at {@code #secret}. Screenshots stay in target/.
 */
class ChatPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCRIPT_DIR = Path.of("src/test/js");
  private static final Path OUT = Path.of("target/browser");
  private static ChatServer server;

  @BeforeAll
  static void start() {
    server = ChatServer.forBrowsers();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void twoUsersChatInTheBrowser() throws Exception {
    assertThat(CHROMIUM).as("Debian's Chromium is needed: apt-get install chromium").isExecutable();
    assertThat(SCRIPT_DIR.resolve("node_modules/playwright-core")).as("run npm ci in " + SCRIPT_DIR).isDirectory();
    Files.createDirectories(OUT);
    Path log = OUT.resolve("chat-page.log");
    Process node = new ProcessBuilder("node", "chat-page.mjs", server.pageUrl(), ChatServer.ADMIN, OUT.toAbsolutePath().toString())
        .directory(SCRIPT_DIR.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      boolean finished = node.waitFor(90, TimeUnit.SECONDS);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(finished).as("the browser script finished in time; so far:\n" + output).isTrue();
      assertThat(node.exitValue()).as(output).isZero();
      assertThat(output).contains("\"bob sees alice typing\"", "\"bob sees the message\"",
          "\"alice sees bob's reply, HTML stripped\"", "\"bob sees a notification\"", "\"bob blocked alice\"", "\"carol is refused at #secret\"",
          "\"done\"");
    } finally {
      destroyTree(node);
    }
    for (String name : List.of("chat-page-bob.png", "chat-page-alice.png", "chat-page-refused.png")) {
      assertPng(OUT.resolve(name));
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
