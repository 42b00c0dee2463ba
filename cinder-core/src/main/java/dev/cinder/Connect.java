package dev.cinder;

import java.util.Map;

/** The outcome of {@link SocketHandler#connect}: accepted with initial assigns, or refused (HTTP 403). */
public final class Connect {
  private static final Connect REFUSED = new Connect(null);

  private final Assigns assigns;

  private Connect(Assigns assigns) {
    this.assigns = assigns;
  }

  public static Connect ok() {
    return new Connect(new Assigns());
  }

  public static Connect ok(Map<String, ?> assigns) {
    return new Connect(Assigns.of(assigns));
  }

  public static Connect refuse() {
    return REFUSED;
  }

  public boolean isOk() {
    return assigns != null;
  }

  /** The socket's assigns when accepted. */
  public Assigns assigns() {
    return assigns;
  }
}
