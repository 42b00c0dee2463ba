package dev.cinder.internal.netty;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Takes over Cinder's log (every level) and Netty's (warnings and errors) while a fuzz test runs, so the
 * test can judge what the server logged about an input: bad client input is worth one short line at most,
 * never a stack trace or an error. Nothing is printed.
 */
final class LogWatch extends AppenderBase<ILoggingEvent> {
  private static final LogWatch INSTANCE = new LogWatch();
  private static final int MAX_KEPT = 10_000;
  private final List<ILoggingEvent> events = new ArrayList<>();

  private LogWatch() {}

  static synchronized void install() {
    if (INSTANCE.isStarted()) {
      return;
    }
    INSTANCE.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    INSTANCE.start();
    take("dev.cinder", Level.DEBUG);
    take("io.netty", Level.WARN);
  }

  private static void take(String name, Level level) {
    Logger logger = (Logger) LoggerFactory.getLogger(name);
    logger.setLevel(level);
    logger.setAdditive(false);
    logger.addAppender(INSTANCE);
  }

  @Override
  protected void append(ILoggingEvent event) {
    synchronized (events) {
      if (events.size() < MAX_KEPT) { // a test that never drains must not fill the heap
        events.add(event);
      }
    }
  }

  /** The events logged since the last call. */
  static List<ILoggingEvent> drain() {
    synchronized (INSTANCE.events) {
      List<ILoggingEvent> found = new ArrayList<>(INSTANCE.events);
      INSTANCE.events.clear();
      return found;
    }
  }
}
