package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Page 09: with Observability.watch, a join and a client event show up in the Micrometer registry. */
class GuideTelemetryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();
  private static ChatServer server;
  private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  static void start() {
    server = ChatServer.start(0, GuideSecrets.SECRET_KEY_BASE);
    Observability.watch(server.endpoint().telemetry(), registry, server.presence());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void joinsEventsSocketsAndPresencesAreMeasured() {
    JsSocket socket = js.connect(server.socketUrl(), Map.of("token", server.tokenFor("alice")));
    socket.join("room:metrics", Map.of());
    socket.channel("room:metrics").push("ping", Map.of());
    // Each is recorded as its callback returns, around the time the client gets its answer: wait for it.
    await().atMost(WAIT).until(() -> registry.find("cinder.channel.join").tags("route", "room:*", "outcome", "ok")
        .timers().stream().mapToLong(t -> t.count()).sum() == 1);
    await().atMost(WAIT).until(() -> registry.find("cinder.channel.handle_in")
        .tags("route", "room:*", "event", "ping", "status", "ok").timers().stream().mapToLong(t -> t.count()).sum() == 1);
    assertThat(registry.get("cinder.sockets").gauge().value()).isEqualTo(1);
    await().atMost(WAIT).until(() -> registry.get("cinder.presences").gauge().value() == 1);
  }
}
