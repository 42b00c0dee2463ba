package dev.cinder.token;

import dev.cinder.internal.token.Etf;
import dev.cinder.internal.token.EtfException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs and verifies tokens that are byte-for-byte those of {@code Phoenix.Token.sign/verify}, so a token made
 * by either side verifies on the other (the format is in docs/protocol.md, "Tokens").
 *
 * <p>A token is {@code "SFMyNTY." + b64url(term_to_binary({data, signed_at_ms, max_age_s})) + "."
 * + b64url(HMAC-SHA256(key, first two parts))}, Base64url without padding. The key is
 * PBKDF2-HMAC-SHA256 of the secret key base and the salt (1000 iterations, 32 bytes), derived once
 * per salt and cached. {@code data} is any value {@link Etf} can encode; it is signed, not
 * encrypted, so clients can read it.
 *
 * <p>{@link #verify} answers {@link TokenResult.Missing} for a null or empty token; {@link
 * TokenResult.Invalid} for a wrong shape, header, Base64, MAC or payload, or a token signed after
 * "now" (no clock-skew allowance); {@link TokenResult.Expired} when {@code signed_at + max_age} is
 * before now or the max age is zero or less; otherwise {@link TokenResult.Valid}. Instances are
 * immutable and thread-safe.
 */
public final class PhoenixToken {
  /** Phoenix's default {@code max_age}: one day. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(86_400);

  private static final int MIN_SECRET_BYTES = 20;
  private static final int KEY_ITERATIONS = 1000;
  private static final int KEY_LENGTH = 32;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

  private final byte[] secret;
  private final Clock clock;
  // One PBKDF2 run per salt; salts are chosen by the application, so the map stays small.
  private final ConcurrentHashMap<String, byte[]> keys = new ConcurrentHashMap<>();

  private PhoenixToken(byte[] secret, Clock clock) {
    this.secret = secret;
    this.clock = clock;
  }

  /** Tokens for the endpoint's {@code secret_key_base}, which must be at least 20 bytes of UTF-8. */
  public static PhoenixToken forSecret(String secretKeyBase) {
    return forSecret(secretKeyBase, Clock.systemUTC());
  }

  /** As {@link #forSecret(String)}, reading "now" from {@code clock} (for tests). */
  public static PhoenixToken forSecret(String secretKeyBase, Clock clock) {
    Objects.requireNonNull(secretKeyBase, "secretKeyBase");
    Objects.requireNonNull(clock, "clock");
    byte[] secret = secretKeyBase.getBytes(StandardCharsets.UTF_8);
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("secret_key_base must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    return new PhoenixToken(secret, clock);
  }

  /** Signs {@code data} now, valid for {@link #DEFAULT_MAX_AGE}. */
  public String sign(String salt, Object data) {
    return sign(salt, data, DEFAULT_MAX_AGE);
  }

  /** Signs {@code data} now, valid for {@code maxAge} (whole seconds) unless verify overrides it. */
  public String sign(String salt, Object data, Duration maxAge) {
    return sign(salt, data, maxAge, clock.instant());
  }

  /**
   * Signs {@code data} as if at {@code signedAt} (kept to the millisecond), storing {@code maxAge},
   * which must be whole seconds as in Phoenix. Throws {@link EtfException} when {@code data} has no
   * Erlang encoding.
   */
  public String sign(String salt, Object data, Duration maxAge, Instant signedAt) {
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(signedAt, "signedAt");
    if (maxAge.getNano() != 0) {
      throw new IllegalArgumentException("maxAge must be whole seconds: " + maxAge);
    }
    byte[] plaintext = Etf.encode(Etf.Tuple.of(data, signedAt.toEpochMilli(), maxAge.getSeconds()));
    String signedPart = HmacAlgorithm.HS256.header + "." + B64.encodeToString(plaintext);
    byte[] mac = HmacAlgorithm.HS256.mac(key(salt), signedPart.getBytes(StandardCharsets.US_ASCII));
    return signedPart + "." + B64.encodeToString(mac);
  }

  /** Verifies against the max age stored in the token. */
  public TokenResult verify(String salt, String token) {
    return verify(salt, token, null);
  }

  /** Verifies with {@code maxAge} in place of the stored max age; null means use the stored one. */
  public TokenResult verify(String salt, String token, Duration maxAge) {
    Objects.requireNonNull(salt, "salt");
    if (token == null || token.isEmpty()) {
      return new TokenResult.Missing();
    }
    Optional<byte[]> plaintext = authenticate(salt, token);
    if (plaintext.isEmpty()) {
      return new TokenResult.Invalid();
    }
    SignedPayload payload;
    try {
      payload = SignedPayload.of(Etf.decode(plaintext.get()));
    } catch (EtfException e) {
      return new TokenResult.Invalid();
    }
    return payload.check(maxAge, clock.millis());
  }

  /** The plaintext bytes if the token has three parts, a known header and a matching MAC. */
  private Optional<byte[]> authenticate(String salt, String token) {
    int first = token.indexOf('.');
    int second = token.indexOf('.', first + 1);
    if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
      return Optional.empty();
    }
    Optional<HmacAlgorithm> algorithm = HmacAlgorithm.forHeader(token.substring(0, first));
    if (algorithm.isEmpty()) {
      return Optional.empty();
    }
    String signaturePart = token.substring(second + 1);
    byte[] plaintext;
    byte[] signature;
    try {
      plaintext = B64_DECODER.decode(token.substring(first + 1, second));
      signature = B64_DECODER.decode(signaturePart);
    } catch (IllegalArgumentException badBase64) {
      return Optional.empty();
    }
    // One spelling per signature (RFC 4648 §3.5): the decoder accepts '=' padding and ignores the unused low bits
    // of the last character, so without this several strings would verify as the same token. The plaintext needs
    // no such check: the MAC covers its exact characters.
    if (!B64.encodeToString(signature).equals(signaturePart)) {
      return Optional.empty();
    }
    // Base64 succeeded, so the signed part is ASCII and this encoding is exact.
    byte[] signedPart = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
    byte[] expected = algorithm.get().mac(key(salt), signedPart);
    return MessageDigest.isEqual(expected, signature) ? Optional.of(plaintext) : Optional.empty();
  }

  /** The PBKDF2 key for {@code salt}, derived on first use. Package-private for the test vectors. */
  byte[] key(String salt) {
    return keys.computeIfAbsent(
        salt, s -> Pbkdf2.hmacSha256(secret, s.getBytes(StandardCharsets.UTF_8), KEY_ITERATIONS, KEY_LENGTH));
  }
}
