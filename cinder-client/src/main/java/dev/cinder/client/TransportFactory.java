package dev.cinder.client;

/** Opens transports: WebSocket, long-poll, or one of your own (e.g. on OkHttp). */
@FunctionalInterface
public interface TransportFactory {
  /**
   * Starts one connection attempt. Must not block; report the outcome to the listener.
   *
   * @param request where to connect and with what
   * @param listener where the transport reports what happens
   * @return the transport of this attempt
   */
  Transport open(TransportRequest request, TransportListener listener);
}
