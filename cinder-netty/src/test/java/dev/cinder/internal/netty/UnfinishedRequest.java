package dev.cinder.internal.netty;

import dev.cinder.endpoint.HttpOptions;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Whether what a client sent ends in the middle of a request, as the server's parser (Netty's, with the same
 * limits) reads it: it holds bytes of a request line or head not yet complete, or a request's body is not
 * all in. CR and LF between requests do not begin one.
 */
final class UnfinishedRequest {
  private UnfinishedRequest() {}

  static boolean in(byte[] sent, HttpOptions options) {
    Parser parser = new Parser(new HttpDecoderConfig()
        .setMaxInitialLineLength(options.maxRequestLineLength())
        .setMaxHeaderSize(options.maxHeaderSize()));
    EmbeddedChannel channel = new EmbeddedChannel(parser);
    channel.writeInbound(Unpooled.wrappedBuffer(sent));
    boolean inBody = false;
    for (Object msg; (msg = channel.readInbound()) != null; ) {
      inBody = !(msg instanceof LastHttpContent) && (inBody || msg instanceof HttpRequest);
      ReferenceCountUtil.release(msg);
    }
    boolean unfinished = inBody || parser.holdsBytes();
    channel.finishAndReleaseAll();
    return unfinished;
  }

  private static final class Parser extends HttpRequestDecoder {
    Parser(HttpDecoderConfig config) {
      super(config);
    }

    boolean holdsBytes() {
      return actualReadableBytes() > 0;
    }
  }
}
