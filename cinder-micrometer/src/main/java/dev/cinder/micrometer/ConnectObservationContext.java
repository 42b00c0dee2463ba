package dev.cinder.micrometer;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A connect (the checks and the handler's {@code connect}) of a socket mounted at {@link #path()}: its carrier is the
 * connecting request's headers (names in lower case), which a tracing bridge reads its parent trace from
 * ({@code traceparent}, say).
 */
public final class ConnectObservationContext extends ReceiverContext<Map<String, List<String>>> {
  private final String path;
  private final String transport;
  private String result = "refused";

  ConnectObservationContext(String path, String transport, Map<String, List<String>> headers) {
    super(ConnectObservationContext::header, Kind.SERVER);
    this.path = path;
    this.transport = transport;
    setCarrier(headers);
    setName(CinderObservations.CONNECT);
    setContextualName("connect " + path);
  }

  private static String header(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  /** The socket's mount path, e.g. {@code /socket}. */
  public String path() {
    return path;
  }

  /** {@code "websocket"} or {@code "longpoll"}. */
  public String transport() {
    return transport;
  }

  /** {@code "accepted"} or {@code "refused"} (a handler that threw refuses too, and the observation has its error). */
  public String result() {
    return result;
  }

  void result(String result) {
    this.result = result;
  }
}
