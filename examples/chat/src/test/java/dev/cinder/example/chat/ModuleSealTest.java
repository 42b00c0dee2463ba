package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cinder's modules export their API and nothing else: an application module compiled against them on the module
 * path may use every exported package and fails to compile on an internal one.
 *
 * <p>This test lives in the chat example because only here are all five library modules (core, netty, redis,
 * micrometer, testkit) on the test class path, built from this reactor; the compiler gets them and the modules
 * they require as its module path.
 */
class ModuleSealTest {
  @TempDir
  Path work;

  @Test
  void anApplicationCompilesAgainstTheExportedApi() throws IOException {
    String source = """
        package app;

        import dev.cinder.Channel;
        import dev.cinder.ChannelContext;
        import dev.cinder.Join;
        import dev.cinder.Payload;
        import dev.cinder.PubSub;
        import dev.cinder.Reply;
        import dev.cinder.Routes;
        import dev.cinder.endpoint.Endpoint;
        import dev.cinder.http.HttpResponse;
        import dev.cinder.micrometer.CinderMetrics;
        import dev.cinder.offload.Offloader;
        import dev.cinder.pipeline.Pipeline;
        import dev.cinder.presence.Presence;
        import dev.cinder.pubsub.LocalPubSub;
        import dev.cinder.pubsub.PubSubAdapter;
        import dev.cinder.ratelimit.RateLimiter;
        import dev.cinder.redis.RedisPubSubOptions;
        import dev.cinder.telemetry.TelemetryListener;
        import dev.cinder.testkit.PhoenixJs;
        import dev.cinder.token.PhoenixToken;

        public class App {
          static class Room implements Channel {
            @Override
            public Join join(String topic, Payload params, ChannelContext ctx) {
              return Join.ok();
            }

            @Override
            public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
              ctx.broadcast(event, payload.json());
              return Reply.none();
            }
          }

          public static void main(String[] args) {
            PubSub pubSub = new LocalPubSub();
            pubSub.subscribe("room:lobby", broadcast -> System.out.println(broadcast.event()));
            Routes routes = new Routes().channel("room:*", Room::new);
            Class<?>[] alsoExported = {Endpoint.class, HttpResponse.class, CinderMetrics.class, Offloader.class,
                Pipeline.class, Presence.class, PubSubAdapter.class, RateLimiter.class, RedisPubSubOptions.class,
                TelemetryListener.class, PhoenixJs.class, PhoenixToken.class};
            System.out.println(routes + " " + alsoExported.length);
          }
        }
        """;
    List<Diagnostic<? extends JavaFileObject>> errors = compile(source);
    assertThat(errors).isEmpty();
  }

  @Test
  void theCoreRuntimeIsNotExported() throws IOException {
    String source = """
        package app;

        import dev.cinder.internal.socket.SocketSession;

        public class App {
          SocketSession session;
        }
        """;
    assertThat(messages(compile(source)))
        .anyMatch(m -> m.contains("dev.cinder.internal.socket") && m.contains("does not export"));
  }

  @Test
  void theNettyTransportIsNotExported() throws IOException {
    String source = """
        package app;

        import dev.cinder.internal.netty.HttpServer;

        public class App {
          HttpServer server;
        }
        """;
    assertThat(messages(compile(source)))
        .anyMatch(m -> m.contains("dev.cinder.internal.netty") && m.contains("does not export"));
  }

  /** Compiles module {@code app} (requiring every Cinder module) with {@code App.java}; the errors it gave. */
  private List<Diagnostic<? extends JavaFileObject>> compile(String appSource) throws IOException {
    Path sources = Files.createDirectories(work.resolve("src/app"));
    Files.writeString(work.resolve("src/module-info.java"), """
        module app {
          requires dev.cinder.netty;
          requires dev.cinder.redis;
          requires dev.cinder.micrometer;
          requires dev.cinder.testkit;
        }
        """);
    Files.writeString(sources.resolve("App.java"), appSource);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      // In process, javac would default its class path to this JVM's, where every package is visible.
      files.setLocation(StandardLocation.CLASS_PATH, List.of());
      List<String> options = List.of("--module-path", modulePath(), "-d", work.resolve("out").toString(),
          "-proc:none", "-implicit:none");
      var units = files.getJavaFileObjects(work.resolve("src/module-info.java"), sources.resolve("App.java"));
      compiler.getTask(null, files, diagnostics, options, null, units).call();
    }
    return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
  }

  private static List<String> messages(List<Diagnostic<? extends JavaFileObject>> errors) {
    assertThat(errors).isNotEmpty();
    return errors.stream().map(d -> d.getMessage(Locale.ROOT)).toList();
  }

  /**
   * The test class path's modules: the Cinder modules (their built classes or jars) and every library that names
   * its module. Jars named only by their file name are left out: nothing Cinder requires is one of them, and two
   * of them could split a package.
   */
  private static String modulePath() {
    List<String> modules = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path) ? Files.exists(path.resolve("module-info.class")) : namesItsModule(path)) {
        modules.add(entry);
      }
    }
    assertThat(modules.stream().map(m -> Path.of(m).toString()).collect(Collectors.joining(" ")))
        .contains("cinder-core", "cinder-netty", "cinder-redis", "cinder-micrometer", "cinder-testkit");
    return String.join(File.pathSeparator, modules);
  }

  private static boolean namesItsModule(Path jar) {
    if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
      return false;
    }
    try (JarFile file = new JarFile(jar.toFile(), false, JarFile.OPEN_READ, Runtime.version())) {
      if (file.getJarEntry("module-info.class") != null) { // also found under META-INF/versions/
        return true;
      }
      var manifest = file.getManifest();
      return manifest != null && manifest.getMainAttributes().getValue("Automatic-Module-Name") != null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
