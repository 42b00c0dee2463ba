package dev.cinder.internal.netty.longpoll.forward;

import java.util.List;

/**
 * Whoever waits for a long-poll session's next messages: the client's own GET on this node, or a GET that
 * another node forwarded here. A session answers each held poll exactly once, through one of these.
 */
public interface PollAnswer {
  /**
   * Messages taken from the session's buffer. {@code generation} counts the session's answers with
   * messages so far; a forwarded GET hands it back if its client vanished, so the messages can be put back.
   */
  void messages(List<String> messages, long generation);

  /** No messages: 204 when the window ended or a newer GET replaced this one, 410 when the session is gone. */
  void status(int status);
}
