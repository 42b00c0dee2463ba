package dev.cinder.internal.netty.longpoll;

import dev.cinder.http.HttpResponse;
import dev.cinder.internal.netty.http.Responses;
import dev.cinder.internal.netty.longpoll.forward.AskingClient;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import java.util.Map;

/**
 * A client whose request goes to the node holding its session, answered here on its own connection as if the
 * session were here. {@code token} is the session's for a GET, whose answers carry it; null for a POST, whose
 * answers carry only a status.
 */
record ForwardingClient(ChannelHandlerContext ctx, boolean keepAlive, String token) implements AskingClient {
  @Override
  public ChannelFuture messages(List<String> messages) {
    return LongPollTransport.respond(ctx, keepAlive, LongPollTransport.messages(token, messages));
  }

  @Override
  public void status(int status) {
    LongPollTransport.respond(ctx, keepAlive, token == null ? Map.of("status", status) : LongPollTransport.status(status, token));
  }

  @Override
  public void badRequest(String error) {
    Responses.send(ctx, keepAlive, HttpResponse.json(400, Map.of("status", 400, "error", error))
        .withHeader("access-control-allow-origin", "*"));
  }
}
