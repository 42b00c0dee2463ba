package dev.cinder.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SocketOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.JsTransport;
import dev.cinder.testkit.PhoenixJsExtension;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connects, joins and {@code handleIn}s as observations: a real endpoint observed through Micrometer Tracing's
 * OpenTelemetry bridge (which reads W3C {@code traceparent} itself), driven by the official client over WebSocket and
 * long-poll; spans read back from OpenTelemetry's in-memory exporter, timers from the meter registry.
 */
class ObservationTracingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01";

  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  private final OtelTracing tracing = new OtelTracing();
  private Endpoint endpoint;

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
    tracing.close();
  }

  private Endpoint start(Telemetry telemetry) {
    endpoint = Endpoint.builder().host("127.0.0.1").port(0).secretKeyBase("a".repeat(64)).telemetry(telemetry)
        .socket("/socket", new RoomSocket(), SocketOptions.defaults().longPoll(true)).build().start();
    return endpoint;
  }

  private Endpoint startObserved() {
    Telemetry telemetry = new Telemetry();
    CinderObservations.bind(tracing.registry, telemetry);
    return start(telemetry);
  }

  private String url() {
    return "ws://127.0.0.1:" + endpoint.port() + "/socket";
  }

  /** The first ended span named {@code name} (a refused client reconnects, and may connect more than once). */
  private SpanData awaitSpan(String name) {
    await().atMost(WAIT).until(() -> !tracing.spans(name).isEmpty());
    return tracing.spans(name).getFirst();
  }

  private static String attribute(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  private static List<String> tagKeys(Meter meter) {
    return meter.getId().getTags().stream().map(Tag::getKey).toList();
  }

  @Test
  void websocketUpgradeTraceContinuesInTheSocketsSpans() {
    startObserved();
    JsSocket socket = js.connect(url(), JsSocketOptions.create().params(Map.of("user", "ann"))
        .headers(Map.of("traceparent", TRACEPARENT)));
    JsChannel room = socket.channel("room:1");
    assertThat(room.join().isOk()).isTrue();
    JsReply echo = room.push("echo", Map.of("text", "hi"));
    assertThat(echo.isOk()).isTrue();

    SpanData connect = awaitSpan("connect /socket");
    SpanData join = awaitSpan("join room:*");
    SpanData handleIn = awaitSpan("handle_in room:* echo");
    for (SpanData span : List.of(connect, join, handleIn)) {
      assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(span.getParentSpanId()).isEqualTo(CLIENT_SPAN_ID); // the client's span, from the upgrade request
      assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
      assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      assertThat(attribute(span, "transport")).isEqualTo("websocket");
    }
    assertThat(attribute(connect, "path")).isEqualTo("/socket");
    assertThat(attribute(connect, "result")).isEqualTo("accepted");
    assertThat(attribute(join, "route")).isEqualTo("room:*");
    assertThat(attribute(join, "outcome")).isEqualTo("ok");
    assertThat(attribute(join, "topic")).isEqualTo("room:1");
    assertThat(attribute(join, "socket.id")).isEqualTo("user_socket:ann");
    assertThat(attribute(handleIn, "event")).isEqualTo("echo");
    assertThat(attribute(handleIn, "status")).isEqualTo("ok");
    assertThat(attribute(handleIn, "topic")).isEqualTo("room:1");
    assertThat(attribute(handleIn, "socket.id")).isEqualTo("user_socket:ann");

    // Timers carry the low cardinality key values only: no topic, no socket id.
    Timer handleInTimer = tracing.meters.get(CinderObservations.HANDLE_IN)
        .tags("route", "room:*", "event", "echo", "status", "ok", "transport", "websocket").timer();
    assertThat(handleInTimer.count()).isEqualTo(1);
    assertThat(tagKeys(handleInTimer)).containsExactlyInAnyOrder("route", "event", "status", "transport", "error");
    Timer joinTimer = tracing.meters.get(CinderObservations.JOIN).tags("route", "room:*", "outcome", "ok").timer();
    assertThat(tagKeys(joinTimer)).containsExactlyInAnyOrder("route", "outcome", "transport", "error");
    Timer connectTimer = tracing.meters.get(CinderObservations.CONNECT).tags("result", "accepted").timer();
    assertThat(tagKeys(connectTimer)).containsExactlyInAnyOrder("path", "transport", "result", "error");
  }

  @Test
  void longPollRequestsTraceContinuesInTheSocketsSpans() {
    startObserved();
    JsSocket socket = js.connect(url(), JsSocketOptions.create().params(Map.of("user", "bob"))
        .transport(JsTransport.LONGPOLL).headers(Map.of("traceparent", TRACEPARENT)));
    assertThat(socket.transport()).isEqualTo("LongPoll");
    JsChannel room = socket.channel("room:2");
    assertThat(room.join().isOk()).isTrue();
    assertThat(room.push("echo", Map.of()).isOk()).isTrue();

    SpanData connect = awaitSpan("connect /socket");
    SpanData join = awaitSpan("join room:*");
    SpanData handleIn = awaitSpan("handle_in room:* echo");
    for (SpanData span : List.of(connect, join, handleIn)) {
      assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(span.getParentSpanId()).isEqualTo(CLIENT_SPAN_ID);
      assertThat(attribute(span, "transport")).isEqualTo("longpoll");
    }
    assertThat(attribute(join, "topic")).isEqualTo("room:2");
  }

  @Test
  void withoutTraceContextEachJoinAndHandleInStartsItsOwnTrace() {
    startObserved();
    JsChannel room = js.connect(url(), Map.of("user", "cy")).channel("room:3");
    assertThat(room.join().isOk()).isTrue();
    assertThat(room.push("echo", Map.of()).isOk()).isTrue();

    SpanData connect = awaitSpan("connect /socket");
    SpanData join = awaitSpan("join room:*");
    SpanData handleIn = awaitSpan("handle_in room:* echo");
    assertThat(List.of(connect, join, handleIn)).allSatisfy(span -> assertThat(span.getParentSpanContext().isValid()).isFalse());
    assertThat(List.of(connect.getTraceId(), join.getTraceId(), handleIn.getTraceId())).doesNotHaveDuplicates();
  }

  @Test
  void crashesEndTheirSpansWithTheError() {
    startObserved();
    JsSocket socket = js.connect(url(), JsSocketOptions.create().params(Map.of("user", "dee"))
        .headers(Map.of("traceparent", TRACEPARENT)));
    JsReply crashedJoin = socket.channel("room:crash").join();
    assertThat(crashedJoin.status()).isEqualTo("error");
    assertThat(crashedJoin.response().path("reason").asString()).isEqualTo("join crashed");
    SpanData join = awaitSpan("join room:*");
    assertThat(join.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(attribute(join, "outcome")).isEqualTo("crash");
    assertThat(join.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(exceptionMessage(join)).isEqualTo("join went wrong");

    JsChannel room = socket.channel("room:4");
    assertThat(room.join().isOk()).isTrue();
    room.pushNoReply("boom", Map.of());
    room.awaitEvent("channelError", WAIT); // the client sees the channel crash (phx_error)
    SpanData handleIn = awaitSpan("handle_in room:* boom");
    assertThat(handleIn.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(attribute(handleIn, "status")).isEqualTo("crash");
    assertThat(handleIn.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(exceptionMessage(handleIn)).isEqualTo("boom");
    assertThat(tracing.meters.get(CinderObservations.HANDLE_IN).tags("status", "crash", "error", "IllegalArgumentException")
        .timer().count()).isEqualTo(1);
  }

  @Test
  void refusedConnectIsObservedAsRefused() {
    startObserved();
    JsSocket socket = js.connect(url(), JsSocketOptions.create().params(Map.of("refuse", "1")).awaitOpen(false)
        .headers(Map.of("traceparent", TRACEPARENT)));
    SpanData connect = awaitSpan("connect /socket");
    assertThat(connect.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(attribute(connect, "result")).isEqualTo("refused");
    socket.disconnect();
  }

  @Test
  void withoutATracerNothingIsObservedAndChannelsWorkAsBefore() {
    Telemetry telemetry = new Telemetry();
    CinderObservations.bind(ObservationRegistry.NOOP, telemetry);
    assertThat(telemetry.tracing()).isNull();
    start(telemetry);
    JsChannel room = js.connect(url(), JsSocketOptions.create().params(Map.of("user", "eve"))
        .headers(Map.of("traceparent", TRACEPARENT))).channel("room:5");
    assertThat(room.join().isOk()).isTrue();
    JsReply echo = room.push("echo", Map.of("n", 1));
    assertThat(echo.isOk()).isTrue();
    assertThat(echo.response().path("n").asInt()).isEqualTo(1);
    room.pushNoReply("boom", Map.of());
    room.awaitEvent("channelError", WAIT);
    assertThat(tracing.exporter.getFinishedSpanItems()).isEmpty();
  }

  private static String exceptionMessage(SpanData span) {
    return span.getEvents().stream().filter(e -> e.getName().equals("exception")).findFirst()
        .map(EventData::getAttributes).map(a -> a.get(AttributeKey.stringKey("exception.message"))).orElse(null);
  }
}
