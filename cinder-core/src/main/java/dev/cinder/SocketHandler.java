package dev.cinder;

/**
 * The application's socket: it authenticates connections, names them, and routes topics to channels
 * (Phoenix's {@code UserSocket}). One instance serves every connection of a mount; keep it stateless.
 */
public interface SocketHandler {
  /** Declares which channel serves which topics, e.g. {@code routes.channel("room:*", RoomChannel::new)}. */
  void routes(Routes routes);

  /**
   * Accepts or refuses a connection. Runs on a virtual thread before the WebSocket handshake completes, so
   * it may block (a database lookup is fine).
   */
  Connect connect(Params params, ConnectInfo info);

  /**
   * Names the connection, e.g. {@code "user_socket:" + userId}, or null for anonymous sockets. Broadcasting
   * the event {@code "disconnect"} to that topic closes every socket with that id.
   */
  default String id(Assigns assigns) {
    return null;
  }
}
