package dev.cinder.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SocketOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.pubsub.ClusterPubSub;
import dev.cinder.redis.RedisPubSubAdapter;
import dev.cinder.redis.RedisPubSubOptions;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.PhoenixJsExtension;
import dev.cinder.testkit.RedisServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A trace across the cluster: a {@code handleIn} on one node broadcasts, and the node that delivers the broadcast to
 * its client continues that trace. Two endpoints over a real redis-server, each with tracing of its own (its own
 * OpenTelemetry SDK and exporter), so the trace can only have crossed inside the broadcast's envelope.
 */
class ClusterTracingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-b7ad6b7169203331-01";

  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();
  private static RedisServer redis;
  private static Node a;
  private static Node b;

  /** One traced node: its PubSub on Redis, its endpoint and its tracing. */
  private record Node(String name, OtelTracing tracing, ClusterPubSub pubSub, Endpoint endpoint) implements AutoCloseable {
    static Node start(String name) {
      OtelTracing tracing = new OtelTracing();
      Telemetry telemetry = new Telemetry();
      CinderObservations.bind(tracing.registry, telemetry);
      ClusterPubSub pubSub = RedisPubSubAdapter.cluster(
          RedisPubSubOptions.of(redis.url(), name).channelPrefix("traces"), telemetry);
      Endpoint endpoint = Endpoint.builder().host("127.0.0.1").port(0).secretKeyBase("a".repeat(64))
          .telemetry(telemetry).pubSub(pubSub).socket("/socket", new RoomSocket(), SocketOptions.defaults())
          .build().start();
      return new Node(name, tracing, pubSub, endpoint);
    }

    String url() {
      return "ws://127.0.0.1:" + endpoint.port() + "/socket";
    }

    SpanData awaitSpan(String spanName) {
      await().atMost(WAIT).until(() -> !tracing.spans(spanName).isEmpty());
      return tracing.spans(spanName).getFirst();
    }

    @Override
    public void close() {
      endpoint.close();
      pubSub.close();
      tracing.close();
    }
  }

  @BeforeAll
  static void start() {
    redis = RedisServer.launch();
    a = Node.start("traces-a");
    b = Node.start("traces-b");
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static String attribute(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  @Test
  void aHandleInThatBroadcastsIsContinuedByTheNodeThatDeliversIt() {
    JsChannel listener = js.connect(b.url(), Map.of("user", "bea")).channel("room:1");
    assertThat(listener.join().isOk()).isTrue();
    await().atMost(WAIT).until(() -> ((RedisPubSubAdapter) b.pubSub().adapter()).listening("room:1"));

    // Sent outside any traced work: its envelope carries no trace, and node B delivers it without a span.
    a.endpoint().broadcast("room:1", "plain", Map.of());
    listener.awaitMessage("plain", WAIT);

    JsChannel speaker = js.connect(a.url(), JsSocketOptions.create().params(Map.of("user", "al"))
        .headers(Map.of("traceparent", TRACEPARENT))).channel("room:1");
    assertThat(speaker.join().isOk()).isTrue();
    assertThat(speaker.push("shout", Map.of("text", "hello")).isOk()).isTrue();
    assertThat(listener.awaitMessage("shouted", WAIT).payload().path("text").asString()).isEqualTo("hello");

    SpanData handleIn = a.awaitSpan("handle_in room:* shout");
    SpanData send = a.awaitSpan("broadcast send");
    SpanData receive = b.awaitSpan("broadcast receive");
    assertThat(handleIn.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(send.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(send.getParentSpanId()).isEqualTo(handleIn.getSpanId());
    assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(receive.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(receive.getParentSpanId()).isEqualTo(send.getSpanId());
    assertThat(receive.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(attribute(receive, "topic")).isEqualTo("room:1");
    assertThat(attribute(receive, "event")).isEqualTo("shouted");
    assertThat(attribute(receive, "origin")).isEqualTo("traces-a");
    // Node B's subscription delivers in order: the plain broadcast, before the traced one, made no span.
    assertThat(b.tracing().spans("broadcast receive")).hasSize(1);
  }
}
