package dev.cinder;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * What the transport knows about a connecting client besides its params.
 *
 * @param peer the remote address
 * @param uri the request URI (path and query)
 * @param headers request headers, names in lower case
 * @param authToken the token sent the way the official client's {@code authToken} option sends it, or null
 * @param transport {@code "websocket"} or {@code "longpoll"}
 */
public record ConnectInfo(
    InetSocketAddress peer, URI uri, Map<String, List<String>> headers, String authToken, String transport) {
  public ConnectInfo {
    headers = Map.copyOf(headers);
  }

  /** The first value of a header (name in any case), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.getFirst();
  }
}
