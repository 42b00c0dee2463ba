package dev.cinder.example.chat;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Why the example could not start, as one line for whoever started it: what failed, then what to do.
 * {@link ChatApp#main} prints it on stderr and exits with status 1; the stack trace follows only when asked
 * for with {@code CINDER_DEBUG=1} or {@code LOG_LEVEL=DEBUG}.
 */
final class StartupFailure extends IllegalStateException {
  private static final Pattern NATIVE_CALL = Pattern.compile("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ");

  StartupFailure(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /** The line for anything that ended the start: a StartupFailure says it all; anything else is named as it is. */
  static String describe(Throwable e) {
    if (e instanceof StartupFailure) {
      return e.getMessage();
    }
    return oneLine("could not start: " + e + "; CINDER_DEBUG=1 prints the stack trace");
  }

  /** Whether the environment asks for stack traces: {@code CINDER_DEBUG=1} (or true), or LOG_LEVEL DEBUG or TRACE. */
  static boolean debugRequested(Map<String, String> env) {
    String debug = env.getOrDefault("CINDER_DEBUG", "").trim().toLowerCase(Locale.ROOT);
    String level = env.getOrDefault("LOG_LEVEL", "").trim().toUpperCase(Locale.ROOT);
    return debug.equals("1") || debug.equals("true") || level.equals("DEBUG") || level.equals("TRACE");
  }

  /** The innermost cause's message (what the driver or the OS said), on one line; its class name if it has none. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      return root.getClass().getSimpleName();
    }
    // Netty's native transport prefixes the OS's words with the call: "bind(..) failed with error(-98): ".
    return oneLine(NATIVE_CALL.matcher(message).replaceFirst(""));
  }

  /** Whether {@code e} or one of its causes is of {@code type}. */
  static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
