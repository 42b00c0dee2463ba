package dev.cinder.test.internal;

import dev.cinder.internal.channel.Connection;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.test.Received;
import java.util.function.Consumer;

/**
 * A client connection without a network: every frame the server writes is decoded at once, as the client would read
 * it, and handed to {@code inbox}; a close from the server is reported to {@code closed}.
 */
public final class TestConnection implements Connection {
  /** A close the server asked for. */
  public record Close(int code, String reason) {}

  private final Consumer<Received> inbox;
  private final Consumer<Close> closed;

  public TestConnection(Consumer<Received> inbox, Consumer<Close> closed) {
    this.inbox = inbox;
    this.closed = closed;
  }

  @Override
  public void send(Frame frame) {
    inbox.accept(ClientWire.decode(frame));
  }

  @Override
  public String transport() {
    return "websocket";
  }

  @Override
  public void close(int code, String reason) {
    closed.accept(new Close(code, reason));
  }
}
