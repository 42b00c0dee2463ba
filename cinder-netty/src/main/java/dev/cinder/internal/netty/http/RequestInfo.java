package dev.cinder.internal.netty.http;

import dev.cinder.ConnectInfo;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the application sees of a Netty request: its query, its headers, the connect info of a socket. */
public final class RequestInfo {
  private RequestInfo() {}

  /** The first value of each query parameter ("" for a parameter without a value). */
  public static Map<String, String> firstValues(QueryStringDecoder decoded) {
    Map<String, String> values = new LinkedHashMap<>();
    decoded.parameters().forEach((key, list) -> values.put(key, list.isEmpty() ? "" : list.getFirst()));
    return values;
  }

  /** The headers by lower-case name, every value kept in order. */
  public static Map<String, List<String>> headers(HttpMessage request) {
    Map<String, List<String>> headers = new HashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
    }
    return headers;
  }

  /** What a socket's {@code connect} learns of the request that opens it. */
  public static ConnectInfo connectInfo(ChannelHandlerContext ctx, FullHttpRequest request, String authToken,
      String transport) {
    URI uri;
    try {
      uri = URI.create(request.uri());
    } catch (IllegalArgumentException e) {
      uri = URI.create("/");
    }
    return new ConnectInfo((InetSocketAddress) ctx.channel().remoteAddress(), uri, headers(request), authToken, transport);
  }
}
