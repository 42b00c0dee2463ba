package dev.cinder;

import java.time.Duration;
import java.util.Objects;

/**
 * Transport and limit settings of one socket mount, immutable; build with {@link #defaults()} and the
 * {@code withX}-style methods, each returning a changed copy.
 *
 * @param maxChannels channels one connection may join (Phoenix's {@code max_channels_per_transport})
 * @param idleTimeout a WebSocket with no frame from its client for this long is closed
 * @param maxFrameSize the largest client frame in bytes; a larger one closes the connection with 1009
 * @param checkOrigin which browser origins may connect
 * @param compress permessage-deflate when the client offers it
 * @param authToken accept the token in {@code Sec-WebSocket-Protocol} as the official client sends it
 * @param websocket serve the WebSocket transport (on by default)
 * @param longPoll serve the long-poll transport too
 * @param maxQueuedBytes outbound bytes a connection may have queued for a slow client before
 *     {@code slowConsumerPolicy} applies, so one stalled reader cannot grow the server's memory
 * @param slowConsumerPolicy close (default) or drop when {@code maxQueuedBytes} is exceeded
 * @param longPollWindow how long a long-poll GET waits for messages (then 204); a session not polled for
 *     1.5 windows ends
 */
public record SocketOptions(
    int maxChannels,
    Duration idleTimeout,
    int maxFrameSize,
    CheckOrigin checkOrigin,
    boolean compress,
    boolean authToken,
    boolean websocket,
    boolean longPoll,
    long maxQueuedBytes,
    SlowConsumerPolicy slowConsumerPolicy,
    Duration longPollWindow) {

  public SocketOptions {
    if (maxChannels < 1) {
      throw new IllegalArgumentException("maxChannels must be at least 1");
    }
    if (maxFrameSize < 1024) {
      throw new IllegalArgumentException("maxFrameSize must be at least 1024 bytes");
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(checkOrigin, "checkOrigin");
    Objects.requireNonNull(slowConsumerPolicy, "slowConsumerPolicy");
    Objects.requireNonNull(longPollWindow, "longPollWindow");
    if (maxQueuedBytes < 1024) {
      throw new IllegalArgumentException("maxQueuedBytes must be at least 1024 bytes");
    }
  }

  /**
   * 100 channels, 60 s idle timeout, 1 MiB frames, any origin, no compression, authToken on, no long-poll,
   * 4 MiB of queued output per connection and then close, a 10 s long-poll window.
   */
  public static SocketOptions defaults() {
    return new SocketOptions(100, Duration.ofSeconds(60), 1 << 20, CheckOrigin.off(), false, true, true, false,
        4L << 20, SlowConsumerPolicy.CLOSE, Duration.ofSeconds(10));
  }

  public SocketOptions maxChannels(int value) {
    return new SocketOptions(value, idleTimeout, maxFrameSize, checkOrigin, compress, authToken, websocket, longPoll, maxQueuedBytes, slowConsumerPolicy, longPollWindow);
  }

  public SocketOptions idleTimeout(Duration value) {
    return new SocketOptions(maxChannels, value, maxFrameSize, checkOrigin, compress, authToken, websocket, longPoll, maxQueuedBytes, slowConsumerPolicy, longPollWindow);
  }

  public SocketOptions maxFrameSize(int value) {
    return new SocketOptions(maxChannels, idleTimeout, value, checkOrigin, compress, authToken, websocket, longPoll, maxQueuedBytes, slowConsumerPolicy, longPollWindow);
  }

  public SocketOptions checkOrigin(CheckOrigin value) {
    return new SocketOptions(maxChannels, idleTimeout, maxFrameSize, value, compress, authToken, websocket, longPoll, maxQueuedBytes, slowConsumerPolicy, longPollWindow);
  }

  public SocketOptions compress(boolean value) {
    return new SocketOptions(maxChannels, idleTimeout, maxFrameSize, checkOrigin, value, authToken, websocket, longPoll, maxQueuedBytes, slowConsumerPolicy, longPollWindow);
  }

  public SocketOptions authToken(boolean value) {
    return new SocketOptions(maxChannels, idleTimeout, maxFrameSize, checkOrigin, compress, value, websocket, longPoll, maxQueuedBytes, slowConsumerPolicy, longPollWindow);
  }

  public SocketOptions websocket(boolean value) {
    return new SocketOptions(maxChannels, idleTimeout, maxFrameSize, checkOrigin, compress, authToken, value, longPoll, maxQueuedBytes, slowConsumerPolicy, longPollWindow);
  }

  public SocketOptions longPoll(boolean value) {
    return new SocketOptions(maxChannels, idleTimeout, maxFrameSize, checkOrigin, compress, authToken, websocket, value, maxQueuedBytes, slowConsumerPolicy, longPollWindow);
  }

  public SocketOptions maxQueuedBytes(long value) {
    return new SocketOptions(maxChannels, idleTimeout, maxFrameSize, checkOrigin, compress, authToken, websocket, longPoll, value, slowConsumerPolicy, longPollWindow);
  }

  public SocketOptions slowConsumerPolicy(SlowConsumerPolicy value) {
    return new SocketOptions(maxChannels, idleTimeout, maxFrameSize, checkOrigin, compress, authToken, websocket, longPoll, maxQueuedBytes, value, longPollWindow);
  }

  public SocketOptions longPollWindow(Duration value) {
    return new SocketOptions(maxChannels, idleTimeout, maxFrameSize, checkOrigin, compress, authToken, websocket, longPoll, maxQueuedBytes, slowConsumerPolicy, value);
  }
}
