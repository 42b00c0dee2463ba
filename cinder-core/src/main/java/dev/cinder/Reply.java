package dev.cinder;

import java.util.Objects;

/** What {@link Channel#handleIn} answers: nothing, or a {@code phx_reply} with a status and a response. */
public final class Reply {
  private static final Reply NONE = new Reply(null, null);

  private final String status;
  private final Payload response;

  private Reply(String status, Payload response) {
    this.status = status;
    this.response = response;
  }

  /** No reply now (perhaps later, through {@link ChannelContext#replyRef()}). */
  public static Reply none() {
    return NONE;
  }

  public static Reply ok() {
    return new Reply("ok", Payload.empty());
  }

  /** Status ok with a response: a map, record, JsonNode or {@link Payload} (binary payloads travel as binary). */
  public static Reply ok(Object response) {
    return new Reply("ok", Payload.of(response));
  }

  public static Reply error(Object response) {
    return new Reply("error", Payload.of(response));
  }

  /** Any status; the official client matches {@code receive(status)} by string equality. */
  public static Reply of(String status, Object response) {
    return new Reply(Objects.requireNonNull(status, "status"), Payload.of(response));
  }

  public boolean isNone() {
    return status == null;
  }

  public String status() {
    return status;
  }

  public Payload response() {
    return response;
  }
}
