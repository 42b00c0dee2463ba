package dev.cinder.telemetry;

import java.util.Map;

/**
 * What a socket keeps for tracing its channels, made at connect only when a {@link Tracing} is set: the trace
 * context its connecting request carried (the WebSocket upgrade, or the long-poll request that opened the session),
 * which its joins and {@code handleIn}s continue, its transport and its id.
 *
 * @param context trace header fields from the connecting request, names in lower case (e.g. {@code traceparent});
 *     empty when it carried none, and then each join and {@code handleIn} starts a trace of its own
 * @param transport {@code "websocket"} or {@code "longpoll"}
 * @param socketId the socket's id ({@code SocketHandler.id}), or null
 */
public record TracedSocket(Map<String, String> context, String transport, String socketId) {
  public TracedSocket {
    context = Map.copyOf(context);
  }
}
