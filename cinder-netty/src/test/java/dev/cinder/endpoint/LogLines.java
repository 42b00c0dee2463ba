package dev.cinder.endpoint;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Counts what a logger tree writes while attached: lines, the longest line, lines with a stack trace, and the
 * first few lines (shortened) for failure messages. Keeps no event, so a log flood cannot fill the heap, and
 * takes the tree off the console meanwhile.
 */
final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private static final int SAMPLES = 12;

  private final Logger logger;
  private final Level previousLevel;
  private final boolean previousAdditive;
  private final AtomicInteger lines = new AtomicInteger();
  private final AtomicInteger withStackTrace = new AtomicInteger();
  private final AtomicInteger longest = new AtomicInteger();
  private final List<String> samples = new CopyOnWriteArrayList<>();

  private LogLines(String loggerName, Level level) {
    logger = (Logger) LoggerFactory.getLogger(loggerName);
    previousLevel = logger.getLevel();
    previousAdditive = logger.isAdditive();
    logger.setLevel(level);
    logger.setAdditive(false);
    start();
    logger.addAppender(this);
  }

  /** Captures {@code loggerName} and its children from {@code level} up until {@link #close}. */
  static LogLines capture(String loggerName, Level level) {
    return new LogLines(loggerName, level);
  }

  @Override
  protected void append(ILoggingEvent event) {
    String line = event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage();
    lines.incrementAndGet();
    longest.accumulateAndGet(line.length(), Math::max);
    if (event.getThrowableProxy() != null) {
      withStackTrace.incrementAndGet();
    }
    if (samples.size() < SAMPLES) {
      samples.add(line.length() > 300 ? line.substring(0, 300) + "…(" + line.length() + " chars)" : line);
    }
  }

  int lines() {
    return lines.get();
  }

  int longestLine() {
    return longest.get();
  }

  int linesWithStackTrace() {
    return withStackTrace.get();
  }

  /** The first lines, each at most about 300 characters. */
  List<String> samples() {
    return List.copyOf(samples);
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    stop();
    logger.setLevel(previousLevel);
    logger.setAdditive(previousAdditive);
  }
}
