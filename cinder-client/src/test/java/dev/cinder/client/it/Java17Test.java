package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client runs on Java 17: a small program compiled with {@code --release 17} and run by the machine's Java 17,
 * with only the client's classes and Jackson on its class path, connects, joins, pushes and prints the reply.
 */
class Java17Test {
  private static final String PROGRAM = """
      import dev.cinder.client.Channel;
      import dev.cinder.client.Reply;
      import dev.cinder.client.Socket;
      import java.util.Map;
      import java.util.concurrent.TimeUnit;

      public class Java17Probe {
        public static void main(String[] args) throws Exception {
          try (Socket socket = Socket.builder(args[0]).params(Map.of("token", "java17")).build()) {
            socket.connect().get(10, TimeUnit.SECONDS);
            Channel room = socket.channel("room:java17");
            Reply joined = room.join().get(10, TimeUnit.SECONDS);
            System.out.println("joined " + joined.status() + " " + joined.response().json());
            Map<String, String> payload = Map.of("runtime", System.getProperty("java.specification.version"));
            Reply reply = room.push("echo", payload).get(10, TimeUnit.SECONDS);
            System.out.println("reply " + reply.status() + " " + reply.response().json());
          }
        }
      }
      """;

  @Test
  void aJava17ProgramConnectsJoinsAndPushes(@TempDir Path dir) throws Exception {
    Path java17 = java17();
    String classPath = clientAndJacksonClassPath();
    Path source = dir.resolve("Java17Probe.java");
    Files.writeString(source, PROGRAM);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int compiled = javac.run(null, null, null, "--release", "17", "-cp", classPath, "-d", classes.toString(),
        source.toString());
    assertThat(compiled).as("javac --release 17 of the probe").isZero();

    try (ItServer server = new ItServer()) {
      Process process = new ProcessBuilder(java17.toString(), "-cp", classes + File.pathSeparator + classPath,
          "Java17Probe", server.url()).redirectErrorStream(true).start();
      boolean done = process.waitFor(60, TimeUnit.SECONDS);
      if (!done) {
        process.destroyForcibly().waitFor();
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(done).as("the probe finished within 60 s; output:%n%s", output).isTrue();
      assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
      assertThat(output.lines().toList()).containsExactly(
          "joined ok {\"user\":\"java17\"}",
          "reply ok {\"runtime\":\"17\"}");
      assertThat(server.socket.events).containsExactly("room:java17 echo {\"runtime\":\"17\"}");
    }
  }

  /** The machine's Java 17 launcher; fails loudly when there is none. */
  private static Path java17() throws IOException, InterruptedException {
    List<Path> candidates = new ArrayList<>();
    try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
      jvms.filter(p -> p.getFileName().toString().contains("17")).sorted(Comparator.naturalOrder())
          .map(p -> p.resolve("bin/java")).forEach(candidates::add);
    } catch (IOException e) {
      // no /usr/lib/jvm: try PATH below
    }
    Optional.ofNullable(System.getenv("PATH")).stream().flatMap(path -> Arrays.stream(path.split(File.pathSeparator)))
        .map(dir -> Path.of(dir, "java")).forEach(candidates::add);
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate) && isJava17(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("no Java 17 runtime on this machine (looked in /usr/lib/jvm/*17*/bin/java and PATH):"
        + " install the package openjdk-17-jre-headless");
  }

  private static boolean isJava17(Path java) throws IOException, InterruptedException {
    Process version = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
    String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    version.waitFor(30, TimeUnit.SECONDS);
    return text.contains("version \"17");
  }

  /** From this test's own class path: the client's classes and Jackson's jars, nothing else. */
  private static String clientAndJacksonClassPath() {
    List<String> entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.replace('\\', '/').endsWith("cinder-client/target/classes") || e.contains("jackson"))
        .toList();
    assertThat(entries).as("the client's classes and Jackson on the test's class path")
        .anyMatch(e -> e.endsWith("classes")).anyMatch(e -> e.contains("jackson-databind"))
        .anyMatch(e -> e.contains("jackson-core"));
    return String.join(File.pathSeparator, entries);
  }
}
