package dev.cinder.internal.netty.longpoll;

import dev.cinder.internal.netty.longpoll.forward.PollAnswer;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;

/** Answers a GET the client sent to this node, on its own HTTP connection. */
record HttpPollAnswer(ChannelHandlerContext ctx, boolean keepAlive, String token) implements PollAnswer {
  @Override
  public void messages(List<String> messages, long generation) {
    LongPollTransport.respond(ctx, keepAlive, LongPollTransport.messages(token, messages));
  }

  @Override
  public void status(int status) {
    LongPollTransport.respond(ctx, keepAlive, LongPollTransport.status(status, token));
  }
}
