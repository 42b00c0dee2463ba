package dev.cinder;

/** The outcome of {@link Channel#join}. */
public final class Join {
  private final boolean ok;
  private final Payload response;

  private Join(boolean ok, Payload response) {
    this.ok = ok;
    this.response = response;
  }

  /** Accepts the join; the client gets {@code {"status":"ok","response":{}}}. */
  public static Join ok() {
    return new Join(true, Payload.empty());
  }

  /** Accepts the join with a response: a map, record, JsonNode or {@link Payload}. */
  public static Join ok(Object response) {
    return new Join(true, Payload.of(response));
  }

  /** Refuses the join; e.g. {@code Join.error(Map.of("reason", "unauthorized"))}. */
  public static Join error(Object response) {
    return new Join(false, Payload.of(response));
  }

  public boolean isOk() {
    return ok;
  }

  public Payload response() {
    return response;
  }
}
