package dev.cinder.internal.netty.websocket;

import dev.cinder.internal.socket.CloseCodes;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.io.IOException;

/**
 * What a client did wrong on a WebSocket, read from the exception the pipeline raised: the close code it gets,
 * the reason sent with it, and the telemetry kind. These are the client's mistakes, worth one short log line at
 * most and never a stack trace.
 */
record ClientFault(int code, String reason, String kind) {
  static final ClientFault TOO_BIG = new ClientFault(CloseCodes.MESSAGE_TOO_BIG, "frame too large", "frame_too_large");
  static final ClientFault BAD_FRAME = new ClientFault(CloseCodes.PROTOCOL_ERROR, "bad frame", "bad_frame");
  static final ClientFault BAD_DATA = new ClientFault(1007, "invalid payload data", "bad_frame");

  /**
   * The fault behind {@code cause}, or null when it is not one: an I/O error (the peer is gone, nothing to tell
   * it) or a failure of the server itself.
   */
  static ClientFault of(Throwable cause) {
    if (cause instanceof IOException) {
      return null;
    }
    if (cause instanceof TooLongFrameException) {
      return TOO_BIG; // the aggregator: a fragmented message over the cap
    }
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      int code = corrupted.closeStatus() == null ? CloseCodes.PROTOCOL_ERROR : corrupted.closeStatus().code();
      return code == CloseCodes.MESSAGE_TOO_BIG ? TOO_BIG : code == BAD_DATA.code() ? BAD_DATA : BAD_FRAME;
    }
    if (cause instanceof CodecException) {
      // permessage-deflate: the inflater's output limit is the frame cap, anything else is a broken stream.
      return isInflateLimit(cause) ? TOO_BIG : BAD_FRAME;
    }
    return null;
  }

  private static boolean isInflateLimit(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof DecompressionException && t.getMessage() != null && t.getMessage().contains("maximum size")) {
        return true; // Netty's ZlibDecoder: "Decompression buffer has reached maximum size: N"
      }
    }
    return false;
  }
}
