package dev.cinder.bench.soak;

import dev.cinder.bench.client.LongPollBody;
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
import java.util.function.Consumer;

/**
 * A soak session over long-poll, as phoenix.js speaks it: a GET without a session token is the handshake (answered
 * 410 with one), then one GET held at a time; pushes go in ndjson POSTs, one in flight, what queued meanwhile in
 * the next. Polls and posts have a keep-alive connection each. Closing just stops polling: the server ends the
 * session once it has not been polled for 1.5 windows.
 */
final class SoakLongPoll implements SoakTransport {
  private static final int MAX_LINES = 100;

  private final Bootstrap bootstrap;
  private final InetSocketAddress server;
  private final InetSocketAddress local;
  private final String baseQuery;
  private final Link link;
  private final List<String> outbox = new ArrayList<>();
  private Channel poll;
  private Channel post;
  private boolean connectingPost;
  private String session;
  private boolean posting;
  private boolean closing;
  private boolean ended;
  private long openedNanos;

  SoakLongPoll(Bootstrap bootstrap, InetSocketAddress server, InetSocketAddress local, String token, String device, Link link) {
    this.bootstrap = bootstrap;
    this.server = server;
    this.local = local;
    this.link = link;
    this.baseQuery = "/socket/longpoll?vsn=2.0.0&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&device=" + device;
  }

  @Override
  public void open() {
    openedNanos = System.nanoTime();
    connect("polling", this::onPollAnswer, ch -> {
      poll = ch;
      get();
    });
  }

  private void connect(String which, Consumer<FullHttpResponse> onAnswer, Consumer<Channel> onActive) {
    Connects.connect(bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(16 << 20), new Handler(onAnswer, onActive));
      }
    }), server, local, link.stats(), cause -> end(false, which + " connection: connect failed after "
        + (System.nanoTime() - openedNanos) / 1_000_000 + " ms: " + SoakWebSocket.describe(cause)));
  }

  private String uri() {
    return session == null ? baseQuery : baseQuery + "&token=" + URLEncoder.encode(session, StandardCharsets.UTF_8);
  }

  private void get() {
    poll.writeAndFlush(request(HttpMethod.GET, null));
  }

  private FullHttpRequest request(HttpMethod method, byte[] body) {
    FullHttpRequest r = body == null ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri())
        : new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri(), Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.HOST, server.getHostString() + ":" + server.getPort())
        .set(HttpHeaderNames.ACCEPT, "application/json")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
    if (body != null) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson");
    }
    return r;
  }

  private void onPollAnswer(FullHttpResponse response) {
    if (closing) {
      return;
    }
    LongPollBody body = LongPollBody.parse(response, true);
    if (body == null) {
      link.problem("long-poll GET answer not the JSON envelope", "HTTP " + response.status().code());
      end(false, "bad GET answer");
      return;
    }
    if (session == null) {
      if (body.status() == 410 && body.token() != null) {
        session = body.token();
        postConnection();
        get();
      } else {
        end(false, "handshake answered with status " + body.status());
      }
      return;
    }
    if (!session.equals(body.token())) {
      link.problem("long-poll GET answered with another session token", body.token());
    }
    switch (body.status()) {
      case 200 -> body.messages().forEach(m -> link.text(this, m.getBytes(StandardCharsets.UTF_8)));
      case 204 -> { }
      case 410 -> {
        end(false, "the server ended the session (410)");
        return;
      }
      default -> link.problem("long-poll GET status", Integer.toString(body.status()));
    }
    if (!closing) {
      get();
    }
  }

  /** The POST connection: opened after the handshake, and again if the server closed an idle one. */
  private void postConnection() {
    connectingPost = true;
    connect("POST", this::onPostAnswer, ch -> {
      boolean first = post == null;
      post = ch;
      connectingPost = false;
      if (first) {
        link.opened(this);
      }
      flush();
    });
  }

  private void onPostAnswer(FullHttpResponse response) {
    LongPollBody body = LongPollBody.parse(response, false);
    if (body == null || body.status() != 200) {
      link.problem("long-poll POST refused", body == null ? "HTTP " + response.status().code() : "status " + body.status());
    }
    posting = false;
    flush();
  }

  @Override
  public void send(String text) {
    outbox.add(text);
    flush();
  }

  /** At most one POST in flight, at most 100 lines each. */
  private void flush() {
    if (closing || posting || outbox.isEmpty() || post == null) {
      return;
    }
    if (!post.isActive()) {
      if (!connectingPost) {
        postConnection();
      }
      return;
    }
    List<String> batch = outbox.subList(0, Math.min(MAX_LINES, outbox.size()));
    byte[] body = String.join("\n", batch).getBytes(StandardCharsets.UTF_8);
    batch.clear();
    posting = true;
    post.writeAndFlush(request(HttpMethod.POST, body));
  }

  @Override
  public void close() {
    closing = true;
    if (poll != null) {
      poll.close();
    }
    if (post != null) {
      post.close();
    }
    end(true, "stopped polling");
  }

  @Override
  public void abort() {
    close();
  }

  private void end(boolean byUs, String why) {
    if (!ended) {
      ended = true;
      closing = true;
      if (poll != null) {
        poll.close();
      }
      if (post != null) {
        post.close();
      }
      link.ended(this, new Ending(byUs, 0, why));
    }
  }

  /** One full HTTP answer at a time, on either connection. */
  private final class Handler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Consumer<FullHttpResponse> onAnswer;
    private final Consumer<Channel> onActive;

    Handler(Consumer<FullHttpResponse> onAnswer, Consumer<Channel> onActive) {
      this.onAnswer = onAnswer;
      this.onActive = onActive;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      onActive.accept(ctx.channel());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      onAnswer.accept(response);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (closing) {
        return;
      }
      if (ctx.channel() == poll) {
        end(false, "the server closed the polling connection");
      } else if (posting) {
        end(false, "the server closed the POST connection with a POST in flight");
      } // an idle POST connection the server closed is opened again on the next send, as a browser would
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
