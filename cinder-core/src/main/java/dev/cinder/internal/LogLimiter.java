package dev.cinder.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Rations the log lines one connection can cause, so that a client repeating a mistake (or a channel crash
 * it can set off at will) cannot flood the log: of each {@link Kind}, the first {@value #LINES_PER_MINUTE}
 * lines in a minute are written, then one line says that the rest of that minute is suppressed.
 *
 * <pre>{@code
 * if (log.isDebugEnabled() && limiter.allow(LogLimiter.Kind.JOIN_REFUSED)) {
 *   log.debug("join refused: no channel route matches topic {}", LogSafe.clip(topic));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Costs two references until the connection first logs.
 */
public final class LogLimiter {
  private static final Logger log = LoggerFactory.getLogger(LogLimiter.class);

  /** Lines of one kind written per connection per minute, before the rest of the minute is suppressed. */
  public static final int LINES_PER_MINUTE = 10;
  private static final long MINUTE_NANOS = 60_000_000_000L;

  /** A kind of line; the suppression notice is written at the kind's level. */
  public enum Kind {
    /** A join of a topic no route matches (the client's mistake). */
    JOIN_REFUSED(Level.DEBUG, "refused joins"),
    /** A channel callback that threw, or a channel that did not end in time. */
    CHANNEL_FAILURE(Level.ERROR, "channel failures"),
    /** A push refused because its channel's queue was full. */
    OVERLOADED(Level.INFO, "overloaded pushes");

    private final Level level;
    private final String description;

    Kind(Level level, String description) {
      this.level = level;
      this.description = description;
    }
  }

  private final String connection;
  private long[] minuteStart; // per kind, allocated on the first line
  private int[] lines;

  /** For the connection with this id (null: none), as the notices name it. */
  public LogLimiter(String connection) {
    this.connection = connection;
  }

  /** Whether a line of this kind may be written now; the first refusal in a minute writes the notice. */
  public boolean allow(Kind kind) {
    return allow(kind, System.nanoTime());
  }

  synchronized boolean allow(Kind kind, long now) {
    if (lines == null) {
      lines = new int[Kind.values().length];
      minuteStart = new long[lines.length];
    }
    int k = kind.ordinal();
    if (lines[k] == 0 || now - minuteStart[k] >= MINUTE_NANOS) {
      minuteStart[k] = now;
      lines[k] = 0;
    }
    if (lines[k] < LINES_PER_MINUTE) {
      lines[k]++;
      return true;
    }
    if (lines[k] == LINES_PER_MINUTE) {
      lines[k]++; // counts no further: the notice is written once per minute
      log.atLevel(kind.level).log("connection {}: more than {} {} this minute; further ones are not logged until it is over",
          LogSafe.clip(connection), LINES_PER_MINUTE, kind.description);
    }
    return false;
  }
}
