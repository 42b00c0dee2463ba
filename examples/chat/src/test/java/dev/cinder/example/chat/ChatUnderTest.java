package dev.cinder.example.chat;

import dev.cinder.presence.Presence;
import dev.cinder.telemetry.Telemetry;

/**
 * The chat application a contract test drives, started in the test's JVM from a {@link ChatConfig}: the plain
 * example, unless the system property {@value #IMPLEMENTATION} names a {@link Factory} class (public, with a public
 * no-argument constructor) that starts another implementation of the same contract, which the same tests then check.
 */
public interface ChatUnderTest extends AutoCloseable {
  /** The system property naming another implementation's {@link Factory}. */
  String IMPLEMENTATION = "chat.implementation";

  /** Starts an implementation on {@code config} (port 0: a free one) and returns it serving. */
  @FunctionalInterface
  interface Factory {
    ChatUnderTest start(ChatConfig config);
  }

  /** The HTTP and socket port. */
  int port();

  /** Who is in which room, as this node sees it. */
  Presence presence();

  /** What the endpoint reports (sockets, joins, broadcasts...). */
  Telemetry telemetry();

  /** Stops serving and releases everything, the database included. */
  @Override
  void close();

  /** The implementation the build chose, started. */
  static ChatUnderTest start(ChatConfig config) {
    String factory = System.getProperty(IMPLEMENTATION);
    if (factory == null || factory.isBlank()) {
      ChatApp app = ChatApp.start(config);
      return new ChatUnderTest() {
        @Override
        public int port() {
          return app.port();
        }

        @Override
        public Presence presence() {
          return app.presence();
        }

        @Override
        public Telemetry telemetry() {
          return app.endpoint().telemetry();
        }

        @Override
        public void close() {
          app.close();
        }
      };
    }
    try {
      return ((Factory) Class.forName(factory).getConstructor().newInstance()).start(config);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(IMPLEMENTATION + "=" + factory + " is not a Factory class with a public "
          + "no-argument constructor on the class path", e);
    }
  }
}
