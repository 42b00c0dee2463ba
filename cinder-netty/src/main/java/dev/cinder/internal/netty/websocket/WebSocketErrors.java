package dev.cinder.internal.netty.websocket;

import dev.cinder.internal.LogSafe;
import dev.cinder.internal.socket.CloseCodes;
import dev.cinder.telemetry.Telemetry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in a WebSocket pipeline: turns an exception any handler raised into the close it calls for. A client's
 * mistake ({@link ClientFault}) gets its close code; an I/O error closes at once (the client is gone, nothing to
 * tell it); anything else is the server's failure: 1011, logged with its stack trace.
 */
final class WebSocketErrors extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(WebSocketErrors.class);

  private final WebSocketConnection connection;
  private final Telemetry telemetry;

  WebSocketErrors(WebSocketConnection connection, Telemetry telemetry) {
    this.connection = connection;
    this.telemetry = telemetry;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (connection.closing()) {
      return; // already closing (e.g. the rest of a refused frame): the close is on its way
    }
    ClientFault fault = ClientFault.of(cause);
    if (fault != null) {
      connection.refuse(fault);
    } else if (cause instanceof IOException) {
      log.debug("WebSocket {} closed on an I/O error: {}", connection.sessionId(), LogSafe.clip(cause.getMessage()));
      telemetry.transportError("websocket", "io");
      ctx.close();
    } else {
      log.warn("WebSocket {}: unexpected error, closing", connection.sessionId(), cause);
      telemetry.transportError("websocket", "internal");
      connection.close(CloseCodes.INTERNAL_ERROR, "internal error");
    }
  }
}
