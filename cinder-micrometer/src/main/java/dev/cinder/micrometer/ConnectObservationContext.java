package dev.cinder.micrometer;

import dev.cinder.ConnectInfo;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * A connect (the checks and the handler's {@code connect}) of a socket mounted at {@link #path()}: its carrier is the
 * connecting request, whose headers a tracing bridge reads its parent trace from ({@code traceparent}, say).
 */
public final class ConnectObservationContext extends ReceiverContext<ConnectInfo> {
  private final String path;
  private String result = "refused";

  ConnectObservationContext(String path, ConnectInfo info) {
    super(ConnectInfo::header, Kind.SERVER);
    this.path = path;
    setCarrier(info);
    setName(CinderObservations.CONNECT);
    setContextualName("connect " + path);
  }

  /** The socket's mount path, e.g. {@code /socket}. */
  public String path() {
    return path;
  }

  /** {@code "websocket"} or {@code "longpoll"}. */
  public String transport() {
    return getCarrier().transport();
  }

  /** {@code "accepted"} or {@code "refused"} (a handler that threw refuses too, and the observation has its error). */
  public String result() {
    return result;
  }

  void result(String result) {
    this.result = result;
  }
}
