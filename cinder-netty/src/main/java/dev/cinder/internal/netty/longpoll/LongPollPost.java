package dev.cinder.internal.netty.longpoll;

import dev.cinder.internal.LogSafe;
import dev.cinder.internal.netty.longpoll.forward.PostOutcome;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.serializer.MalformedFrameException;
import dev.cinder.internal.serializer.Message;
import dev.cinder.internal.serializer.Serializer;
import dev.cinder.internal.socket.SocketSession;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A POST's messages into a session, whether the POST reached this node or was forwarded here:
 * every line is decoded first, so a malformed batch is refused whole and the session is untouched; then
 * each message is dispatched and the outcome waits until all went through, at most one window.
 */
final class LongPollPost {
  private static final Logger log = LoggerFactory.getLogger(LongPollPost.class);
  private static final int MAX_LINES = 100;
  static final String NDJSON = "application/x-ndjson";

  private LongPollPost() {}

  /**
   * Decodes and dispatches {@code body}; {@code done} runs once, on this thread for a 400, otherwise on
   * {@code waiter} after dispatch (200) or after the window (408).
   */
  static void deliver(LongPollSession session, String body, boolean ndjson, Executor waiter, Consumer<PostOutcome> done) {
    SocketSession socket = session.session();
    List<Message> messages;
    try {
      messages = decode(body, ndjson, session.mount().options().maxFrameSize(), socket.serializer());
    } catch (MalformedFrameException | IllegalArgumentException e) {
      log.debug("long-poll session {}: bad POST body: {}", session.id, LogSafe.clip(e.getMessage()));
      session.mount().telemetry().transportError("longpoll", "malformed_frame");
      done.accept(new PostOutcome(400, e.getMessage()));
      return;
    }
    CountDownLatch handled = new CountDownLatch(messages.size());
    messages.forEach(message -> socket.receive(message, handled::countDown));
    long windowMs = session.mount().options().longPollWindow().toMillis();
    waiter.execute(() -> {
      boolean dispatched;
      try {
        dispatched = handled.await(windowMs, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        dispatched = false;
      }
      done.accept(new PostOutcome(dispatched ? 200 : 408, null));
    });
  }

  /**
   * The messages of a POST body, all or none: throws {@link MalformedFrameException} or
   * {@link IllegalArgumentException} (bad Base64, a message over {@code maxFrameSize}) for a bad batch.
   */
  static List<Message> decode(String body, boolean ndjson, int maxFrameSize, Serializer serializer) {
    List<Message> messages = new ArrayList<>();
    for (Frame frame : frames(body, ndjson, maxFrameSize)) {
      messages.add(serializer.decode(frame));
    }
    return messages;
  }

  private static List<Frame> frames(String body, boolean ndjson, int maxFrameSize) {
    if (!ndjson) {
      return List.of(checked(Frame.text(body), maxFrameSize)); // older clients: the whole body is one message
    }
    List<Frame> frames = new ArrayList<>();
    for (String line : body.split("\r?\n", -1)) {
      if (frames.size() == MAX_LINES) {
        break; // as Phoenix does: lines past 100 are dropped; the official client never sends more
      }
      Frame frame = line.startsWith("[") ? Frame.text(line) : Frame.binary(Base64.getDecoder().decode(line));
      frames.add(checked(frame, maxFrameSize));
    }
    return frames;
  }

  private static Frame checked(Frame frame, int maxFrameSize) {
    if (frame.bytes().length > maxFrameSize) {
      throw new IllegalArgumentException("a message is larger than " + maxFrameSize + " bytes");
    }
    return frame;
  }
}
