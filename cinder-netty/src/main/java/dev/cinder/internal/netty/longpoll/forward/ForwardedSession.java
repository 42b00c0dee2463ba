package dev.cinder.internal.netty.longpoll.forward;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * A long-poll session held on this node, as the requests other nodes forward to it use it
 * ({@link ForwardedRequests}); the long-poll transport's sessions implement it.
 */
public interface ForwardedSession {
  /** The session's id, for logs. */
  String id();

  /** Whether the session has ended. */
  boolean ended();

  /** The mount's long-poll window: how long a GET may be held. */
  Duration window();

  /** A GET: answered through {@code answer} at once if messages wait, else held up to the window ({@code timer}). */
  void poll(PollAnswer answer, ScheduledExecutorService timer);

  /** The client behind a held GET went away: forget the GET unanswered, the messages stay. */
  boolean cancel(PollAnswer answer);

  /** Puts back messages an answer took whose client never got them, if no later answer went out meanwhile. */
  void requeue(List<String> messages, long generation);

  /** A POST's body, decoded and dispatched; {@code done} gets its outcome once, on the calling thread. */
  void post(String body, boolean ndjson, Consumer<PostOutcome> done);
}
