package dev.cinder.token;

/**
 * The outcome of {@link PhoenixToken#verify}: the four answers of {@code Phoenix.Token.verify},
 * {@code {:ok, data}}, {@code {:error, :expired}}, {@code {:error, :invalid}} and {@code {:error,
 * :missing}}. Switch over it; the compiler checks that every case is handled.
 */
public sealed interface TokenResult {
  /** The signature checks out and the token is within its max age. {@code data} may be null (nil). */
  record Valid(Object data) implements TokenResult {}

  /** Genuine but older than the max age, or checked with a max age of zero or less. */
  record Expired() implements TokenResult {}

  /** Malformed, forged, signed with another secret or salt, or dated in the future. */
  record Invalid() implements TokenResult {}

  /** No token at all: null or empty. */
  record Missing() implements TokenResult {}
}
