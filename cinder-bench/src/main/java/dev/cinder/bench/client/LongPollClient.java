package dev.cinder.bench.client;

import dev.cinder.bench.wire.WallClock;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link PhxClient} over the long-poll transport, as phoenix.js 1.8.16 speaks it: a GET without a
 * session token is the handshake (answered {@code {"status":410,"token":T}}), then GETs with {@code token=T} in
 * the query poll for messages (200 with messages, 204 after the window), one at a time and again at once; pushes
 * go in ndjson POSTs, one in flight, messages sent meanwhile batched into the next (at most 100 lines). Polls and
 * posts use two keep-alive HTTP connections on the same I/O thread, as a browser's fetch would.
 */
final class LongPollClient extends PhxClient {
  private static final int MAX_LINES = 100;

  private final Bootstrap bootstrap;
  private final InetSocketAddress server;
  private final InetSocketAddress local;
  private final String baseQuery;
  private final long startNanos = System.nanoTime();
  private final List<String> outbox = new ArrayList<>();
  private Channel poll;
  private Channel post;
  private String token;
  private boolean posting;
  private boolean closedByUs;
  private boolean gone;

  LongPollClient(Fleet fleet, int index, List<String> topics, String[] recoverFrom, Bootstrap bootstrap,
      InetSocketAddress server, InetSocketAddress local, String userToken) {
    super(fleet, index, topics, recoverFrom);
    this.bootstrap = bootstrap;
    this.server = server;
    this.local = local;
    this.baseQuery = "/socket/longpoll?token=" + URLEncoder.encode(userToken, StandardCharsets.UTF_8) + "&vsn=2.0.0";
  }

  /** Opens the polling connection and sends the handshake GET; the future completes once every topic is joined. */
  void open() {
    connect(bootstrap, this::onPollResponse, ch -> {
      poll = ch;
      get();
    });
  }

  private void connect(Bootstrap b, Consumer<FullHttpResponse> onResponse, Consumer<Channel> onActive) {
    b.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(16 << 20), new Handler(onResponse, onActive));
      }
    }).connect(server, local).addListener(f -> {
      if (!f.isSuccess()) {
        joined.completeExceptionally(f.cause());
      }
    });
  }

  private void get() {
    String uri = token == null ? baseQuery : baseQuery + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    poll.writeAndFlush(request(HttpMethod.GET, uri, null));
  }

  private FullHttpRequest request(HttpMethod method, String uri, byte[] body) {
    FullHttpRequest r = body == null ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri)
        : new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.HOST, server.getHostString() + ":" + server.getPort())
        .set(HttpHeaderNames.ACCEPT, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
    if (body != null) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson");
    }
    return r;
  }

  private void onPollResponse(FullHttpResponse response) {
    long now = WallClock.micros();
    LongPollBody body = LongPollBody.parse(response, true);
    if (body == null) {
      fleet.badFrame("long-poll GET: not the long-poll JSON envelope");
      return;
    }
    if (token == null) {
      if (body.status() != 410 || body.token() == null) {
        joined.completeExceptionally(new JoinRefused("long-poll handshake status " + body.status()));
        poll.close();
        return;
      }
      token = body.token();
      fleet.connectHistogram.recordMicros(System.nanoTime() - startNanos);
      connect(bootstrap.clone(poll.eventLoop()), this::onPostResponse, ch -> {
        post = ch;
        sendJoins();
        poll.eventLoop().scheduleAtFixedRate(this::heartbeatWhileOpen, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
      });
      get();
      return;
    }
    if (!token.equals(body.token())) {
      fleet.badFrame("long-poll GET answered with another session token");
    }
    switch (body.status()) {
      case 200 -> {
        fleet.counters.pollsWithMessages.increment();
        fleet.counters.polledMessages.add(body.messages().size());
        body.messages().forEach(m -> {
          byte[] text = m.getBytes(StandardCharsets.UTF_8);
          onText(text, text.length, now);
        });
      }
      case 204 -> fleet.counters.emptyPolls.increment();
      case 410 -> {
        gone = true; // the session ended on the server
        if (post != null) {
          post.close();
        }
        if (!closedByUs) {
          fleet.counters.unexpectedCloses.increment();
        }
        poll.close();
        return;
      }
      default -> fleet.badFrame("long-poll GET status " + body.status());
    }
    if (!closedByUs) {
      get();
    }
  }

  private void onPostResponse(FullHttpResponse response) {
    LongPollBody body = LongPollBody.parse(response, false);
    if (body == null || body.status() != 200) {
      fleet.badFrame("long-poll POST status " + (body == null ? "unparsable" : body.status()));
    }
    posting = false;
    flushOutbox();
  }

  private void heartbeatWhileOpen() {
    if (isOpen()) {
      heartbeat();
    }
  }

  @Override
  protected void send(String text) {
    outbox.add(text);
    flushOutbox();
  }

  /** At most one POST in flight; what queued meanwhile goes in the next one, 100 lines at most. */
  private void flushOutbox() {
    if (posting || outbox.isEmpty() || post == null || !post.isActive()) {
      return;
    }
    List<String> batch = outbox.subList(0, Math.min(MAX_LINES, outbox.size()));
    byte[] body = String.join("\n", batch).getBytes(StandardCharsets.UTF_8);
    batch.clear();
    posting = true;
    fleet.counters.posts.increment();
    post.writeAndFlush(request(HttpMethod.POST, baseQuery + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), body));
  }

  @Override
  public void execute(Runnable task) {
    poll.eventLoop().execute(task);
  }

  @Override
  boolean isOpen() {
    return poll != null && poll.isOpen() && !gone;
  }

  /** Stops polling: the server ends the session once it has not been polled for 1.5 windows. */
  @Override
  void close() {
    closedByUs = true;
    if (poll != null) {
      poll.close();
    }
    if (post != null) {
      post.close();
    }
  }

  /** Both connections' handler: one full HTTP response at a time. */
  private final class Handler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Consumer<FullHttpResponse> onResponse;
    private final Consumer<Channel> onActive;

    Handler(Consumer<FullHttpResponse> onResponse, Consumer<Channel> onActive) {
      this.onResponse = onResponse;
      this.onActive = onActive;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      onActive.accept(ctx.channel());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      onResponse.accept(response);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!joined.isDone()) {
        joined.completeExceptionally(new IllegalStateException("closed before the join reply"));
      } else if (!closedByUs && !gone) {
        fleet.counters.unexpectedCloses.increment();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      joined.completeExceptionally(cause);
      ctx.close();
    }
  }
}
