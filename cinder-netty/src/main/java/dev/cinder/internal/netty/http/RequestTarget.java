package dev.cinder.internal.netty.http;

import dev.cinder.http.HttpRoutes;
import dev.cinder.internal.socket.SocketMount;
import java.util.List;

/**
 * What a request asks for, known from its method and path alone: a socket mount's WebSocket or long-poll
 * path, or an application route.
 */
public record RequestTarget(Kind kind, SocketMount mount, HttpRoutes.Match route) {
  public enum Kind { WEBSOCKET, LONGPOLL, ROUTE }

  /** The target of {@code method path}, or null when no route matches (404, or 405 if the path exists). */
  static RequestTarget find(List<SocketMount> mounts, HttpRoutes routes, String method, String path) {
    for (SocketMount mount : mounts) {
      if (mount.options().websocket() && path.equals(mount.path() + "/websocket")) {
        return new RequestTarget(Kind.WEBSOCKET, mount, null);
      }
      if (mount.options().longPoll() && path.equals(mount.path() + "/longpoll")) {
        return new RequestTarget(Kind.LONGPOLL, mount, null);
      }
    }
    return routes.match(method, path).map(match -> new RequestTarget(Kind.ROUTE, null, match)).orElse(null);
  }

  /** The largest body this target takes: none for an upgrade, the long-poll or the route's limit. */
  long maxBodySize(HttpLimits options) {
    return switch (kind) {
      case WEBSOCKET -> 0;
      case LONGPOLL -> options.maxLongPollBodySize();
      case ROUTE -> route.options().maxBodySize().orElse(options.maxBodySize());
    };
  }
}
