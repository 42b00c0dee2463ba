package dev.cinder.internal.netty.longpoll.forward;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;

/**
 * The client whose long-poll request this node forwards to the node holding its session, answered on its own
 * HTTP connection; the long-poll transport gives one to the {@link LongPollForwarder} with each request.
 */
public interface AskingClient {
  /** The client's connection: the forwarded request's timers run on its event loop, and its close cancels a GET. */
  ChannelHandlerContext ctx();

  /** Answers a GET with messages; the future fails if the client's connection went away first. */
  ChannelFuture messages(List<String> messages);

  /** Answers with a status alone: 204 or 410 for a GET, the POST's outcome (200, 408, 410) for a POST. */
  void status(int status);

  /** Answers a POST the owner refused as malformed: 400, and why. */
  void badRequest(String error);
}
