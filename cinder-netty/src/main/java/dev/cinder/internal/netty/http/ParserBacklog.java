package dev.cinder.internal.netty.http;

import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a connection's HTTP parser holds bytes it has read but not yet made a message of: the beginning of a
 * request that came in the same read as the end of the one before, or while that one was being answered.
 * Netty's {@code HttpServerCodec} keeps them in its decoder's buffer and offers no public view of it, so the
 * decoder's own count ({@code ByteToMessageDecoder.actualReadableBytes()}) is read through method handles. A
 * Netty without them makes the answer always false: such a connection is then timed as idle.
 */
public final class ParserBacklog {
  private static final Logger log = LoggerFactory.getLogger(ParserBacklog.class);
  private static final MethodHandle DECODER =
      find(CombinedChannelDuplexHandler.class, "inboundHandler", ChannelInboundHandler.class);
  private static final MethodHandle BUFFERED = find(ByteToMessageDecoder.class, "actualReadableBytes", int.class);

  private ParserBacklog() {}

  public static boolean holdsBytes(ChannelPipeline pipeline) {
    HttpServerCodec codec = pipeline.get(HttpServerCodec.class);
    if (codec == null || DECODER == null || BUFFERED == null) {
      return false;
    }
    try {
      var decoder = (ChannelInboundHandler) DECODER.invoke((CombinedChannelDuplexHandler<?, ?>) codec);
      return decoder instanceof ByteToMessageDecoder bytes && (int) BUFFERED.invoke(bytes) > 0;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot read the HTTP parser's buffer", e);
    }
  }

  private static MethodHandle find(Class<?> owner, String name, Class<?> returns) {
    try {
      return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
          .findVirtual(owner, name, MethodType.methodType(returns));
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("cannot see into Netty's HTTP parser ({}): a request begun behind an answer is timed as idle",
          e.toString());
      return null;
    }
  }
}
