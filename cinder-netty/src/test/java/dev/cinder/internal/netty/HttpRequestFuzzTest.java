package dev.cinder.internal.netty;

import dev.cinder.pubsub.LocalPubSub;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.CheckOrigin;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.Reply;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.HttpOptions;
import dev.cinder.http.HttpResponse;
import dev.cinder.http.HttpRoutes;
import dev.cinder.http.RouteOptions;
import dev.cinder.internal.netty.http.HttpLimits;
import dev.cinder.internal.netty.longpoll.LongPollSessions;
import dev.cinder.internal.netty.websocket.OpenConnections;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.token.PhoenixToken;
import io.netty.channel.ChannelInitializer;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzz test of HTTP request parsing (docs/fuzzing.md): the bytes a client sends go through
 * the server's real connection pipeline ({@link HttpPipeline}: timers, Netty's parser, exchanges, admission,
 * dispatch), with real routes and a real socket mount, on an {@link EmbeddedHttpConnection} whose clock the
 * test moves. An input is one schedule byte and then the byte stream the client sends ({@link ClientSchedule}
 * says how the schedule byte splits it into reads and paces it). For each input:
 * <ul>
 *   <li>no exception reaches the end of the pipeline, nothing unhandled either, and Cinder logs no stack
 *       trace, no error and no line longer than {@value #MAX_LOG_LINE} characters about it;
 *   <li>what the server wrote is a sequence of well-formed HTTP/1.1 responses ({@link WrittenResponses}), each
 *       status one the edge documents, the i-th final one answering the i-th request (routes echo the number
 *       the test gave their request), nothing after one that says {@code Connection: close};
 *   <li>a server that closes a connection without saying why has answered every request on it, and the
 *       client had not begun another;
 *   <li>a client that goes quiet is closed by the server's own timers (no connection is held forever);
 *   <li>once the connection is closed no body bytes are in flight, and no buffer leaked (Netty's detector at
 *       {@code PARANOID} in the replay, {@code SIMPLE} while fuzzing).
 * </ul>
 *
 * <p>Saved inputs: {@code src/test/resources/dev/cinder/internal/netty/HttpRequestFuzzTestInputs/httpRequest/}.
 */
class HttpRequestFuzzTest {
  /** Whether Jazzer is fuzzing ({@code ./dev fuzz}) rather than replaying the saved inputs. */
  private static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null;

  static {
    // Every buffer tracked in the replay; a sample of them while fuzzing, which tracking all would slow fourfold
    // (a leak found there is then confirmed by the replay of the saved input).
    LeakWatch.install(FUZZING ? ResourceLeakDetector.Level.SIMPLE : ResourceLeakDetector.Level.PARANOID);
    LogWatch.install();
  }

  private static final int MAX_LOG_LINE = 1000;
  /** The statuses the HTTP edge answers with (HttpOptions, RouteOptions, the transports); 100 is interim. */
  private static final Set<Integer> DOCUMENTED =
      Set.of(100, 101, 200, 202, 204, 400, 401, 403, 404, 405, 408, 410, 413, 414, 417, 426, 431, 503);
  /** Small limits and short timers, so that the fuzzer meets every one of them. */
  static final HttpOptions OPTIONS = HttpOptions.defaults()
      .headerTimeout(Duration.ofSeconds(1))
      .bodyTimeout(Duration.ofSeconds(2))
      .keepAliveTimeout(Duration.ofSeconds(3))
      .maxRequestLineLength(256)
      .maxHeaderSize(1024)
      .maxBodySize(4096)
      .maxLongPollBodySize(2048)
      .maxBodyBytesInFlight(1024)
      .maxPipelinedRequests(4);
  /** {@link #OPTIONS} as the endpoint hands them to the HTTP server. */
  private static final HttpLimits LIMITS = new HttpLimits(OPTIONS.headerTimeout(), OPTIONS.bodyTimeout(),
      OPTIONS.keepAliveTimeout(), OPTIONS.maxBodySize(), OPTIONS.maxLongPollBodySize(), OPTIONS.maxBodyBytesInFlight(),
      OPTIONS.maxRequestLineLength(), OPTIONS.maxHeaderSize(), OPTIONS.maxPipelinedRequests());
  private static final Telemetry TELEMETRY = new Telemetry();
  private static final PubSub PUB_SUB = new LocalPubSub(TELEMETRY);
  private static final PhoenixToken TOKENS = PhoenixToken.forSecret("f".repeat(64));
  private static final SocketMount MOUNT = new SocketMount("/socket", new FuzzSocket(), SocketOptions.defaults()
      .longPoll(true)
      .compress(true)
      .authToken(true)
      .maxFrameSize(1024)
      .longPollWindow(Duration.ofSeconds(2))
      .checkOrigin(CheckOrigin.list(List.of("http://allowed.example"))), PUB_SUB, TELEMETRY);
  private static final HttpRoutes ROUTES = new HttpRoutes()
      .add("GET", "/health", r -> answer(200, r, "ok"))
      .add("GET", "/api/items/{id}", r -> answer(200, r, r.pathParam("id")))
      .add("POST", "/api/echo", r -> answer(202, r, r.bodyText()), RouteOptions.defaults().maxBodySize(64).guard(head ->
          "secret".equals(head.bearerToken()) ? Optional.empty() : Optional.of(HttpResponse.error(401, "no"))))
      .add("POST", "/api/upload", r -> answer(200, r, r.body().length + " bytes"));

  /** A route's answer, with the number the test gave its request so that the order can be checked. */
  private static HttpResponse answer(int status, dev.cinder.http.HttpRequest request, String text) {
    return HttpResponse.text(status, "text/plain", text)
        .withHeader(RequestLog.SEQ, String.valueOf(request.header(RequestLog.SEQ)));
  }

  @FuzzTest
  void httpRequest(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    LogWatch.drain();
    RequestLog requests = new RequestLog();
    byte[] written;
    byte[] sent;
    boolean closedByServer;
    long inFlight;
    try (FuzzedExchange exchange = new FuzzedExchange(new ClientSchedule(input[0]), TOKENS, PUB_SUB, requests)) {
      exchange.run(java.util.Arrays.copyOfRange(input, 1, input.length));
      written = exchange.written();
      sent = exchange.sent();
      closedByServer = exchange.closedByServer();
      inFlight = exchange.bodyBytesInFlightAfterClose();
    }
    checkLog(LogWatch.drain());
    List<WrittenResponses.Response> responses =
        WrittenResponses.read(written, i -> i < requests.size() && requests.isHead(i));
    checkResponses(responses, requests, closedByServer, sent);
    assertThat(inFlight).as("body bytes in flight after the close").isZero();
    assertThat(FUZZING ? LeakWatch.drain() : LeakWatch.collect()).as("leaks").isEmpty();
  }

  private static void checkResponses(List<WrittenResponses.Response> responses, RequestLog requests,
      boolean closedByServer, byte[] sent) {
    int finals = 0;
    boolean closing = false;
    for (WrittenResponses.Response response : responses) {
      assertThat(closing).as("a response after one that said Connection: close").isFalse();
      assertThat(DOCUMENTED).as("documented statuses").contains(response.status());
      if (response.informational()) {
        continue;
      }
      finals++;
      String seq = response.header(RequestLog.SEQ);
      if (seq != null) {
        assertThat(seq).as("the request a route answered, in request order").isEqualTo(String.valueOf(finals));
      }
      closing = response.closes();
    }
    boolean upgraded = !responses.isEmpty() && responses.getLast().status() == 101;
    boolean timedOut = !responses.isEmpty() && responses.getLast().status() == 408;
    // The timer's 408 may answer a request whose head never came whole, which the parser never produced.
    assertThat(finals - (timedOut ? 1 : 0)).as("final responses, at most one per request")
        .isLessThanOrEqualTo(requests.size());
    if (closedByServer && !closing && !upgraded) {
      // Closing without a word is only for a client that asked nothing (HttpTimeouts): every request it sent
      // was answered, and it had not begun another (that one gets 408).
      assertThat(finals).as("every request answered on a connection the server closed without saying why")
          .isEqualTo(requests.size());
      assertThat(UnfinishedRequest.in(sent, OPTIONS))
          .as("a request begun on a connection the server closed without a 408").isFalse();
    }
  }

  private static void checkLog(List<ILoggingEvent> events) {
    for (ILoggingEvent event : events) {
      String line = event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage();
      assertThat(event.getThrowableProxy()).as("a stack trace logged: " + line).isNull();
      assertThat(event.getLevel()).as("an error logged: " + line).isNotEqualTo(Level.ERROR);
      assertThat(event.getFormattedMessage().length()).as("a log line's length: " + line)
          .isLessThanOrEqualTo(MAX_LOG_LINE);
    }
  }

  /**
   * The socket at /socket: connects with {@code user=<name>} or an auth token (any but "refuse"); one channel,
   * {@code room:*}, whose {@code echo} event replies with its payload.
   */
  private static final class FuzzSocket implements SocketHandler {
    @Override
    public void routes(Routes routes) {
      routes.channel("room:*", RoomChannel::new);
    }

    @Override
    public Connect connect(Params params, ConnectInfo info) {
      String user = params.get("user") != null ? params.get("user") : info.authToken();
      return user == null || user.equals("refuse") ? Connect.refuse() : Connect.ok(Map.of("user", user));
    }
  }

  private static final class RoomChannel implements Channel {
    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      return Join.ok();
    }

    @Override
    public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
      return "echo".equals(event) ? Reply.ok(Map.of("echoed", true)) : Reply.error(Map.of("reason", "unknown event"));
    }
  }

  /** The pipeline the server builds, for a connection of this test. */
  static HttpPipeline pipeline(LongPollSessions sessions, java.util.concurrent.Executor blocking) {
    return new HttpPipeline(LIMITS, List.of(MOUNT), ROUTES, sessions, new OpenConnections(), blocking);
  }

  /** Adds the request log behind the parser, once the server's pipeline is built. */
  static ChannelInitializer<io.netty.channel.Channel> initializer(HttpPipeline pipeline, RequestLog requests) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(io.netty.channel.Channel ch) {
        pipeline.init(ch);
        ch.pipeline().addAfter("http", "fuzz-requests", requests);
      }
    };
  }
}
