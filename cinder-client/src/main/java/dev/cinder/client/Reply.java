package dev.cinder.client;

import java.util.Objects;

/**
 * The server's reply to a push or a join.
 *
 * @param status the reply status, {@code "ok"}, {@code "error"} or any string the server chose
 * @param response the response: JSON, or bytes for a binary reply
 */
public record Reply(String status, Payload response) {
  /**
   * Checks the fields.
   *
   * @param status the status
   * @param response the response
   */
  public Reply {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(response, "response");
  }

  /**
   * Whether the status is {@code "ok"}.
   *
   * @return true for an ok reply
   */
  public boolean isOk() {
    return "ok".equals(status);
  }
}
