package dev.cinder.token;

import dev.cinder.internal.token.Etf;
import dev.cinder.internal.token.EtfException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/**
 * The decoded plaintext of a token, {@code {data, signed_ms, max_age_s}}, and the age rules of
 * {@code Plug.Crypto.verify}. Arithmetic is on {@link BigInteger} so that
 * hostile timestamps cannot overflow into validity.
 */
record SignedPayload(Object data, BigInteger signedMs, Object storedMaxAge) {
  private static final BigInteger THOUSAND = BigInteger.valueOf(1000);
  private static final Etf.Atom INFINITY = new Etf.Atom("infinity");
  private static final Etf.Atom DATA = new Etf.Atom("data");
  private static final Etf.Atom SIGNED = new Etf.Atom("signed");
  private static final long LEGACY_MAX_AGE_S = 86_400;

  /** The current shape and the two legacy ones; throws {@link EtfException} for anything else. */
  static SignedPayload of(Object term) {
    return switch (term) {
      case Etf.Tuple t when t.arity() == 3 -> new SignedPayload(t.get(0), integer(t.get(1)), t.get(2));
      // Plug.Crypto 1.1 stored no max age.
      case Etf.Tuple t when t.arity() == 2 -> new SignedPayload(t.get(0), integer(t.get(1)), LEGACY_MAX_AGE_S);
      // Phoenix's own original code stored %{data: data, signed: signed}.
      case Map<?, ?> m when m.containsKey(DATA) && m.containsKey(SIGNED) ->
          new SignedPayload(m.get(DATA), integer(m.get(SIGNED)), LEGACY_MAX_AGE_S);
      case null, default -> throw new EtfException("token plaintext has an unknown shape"); // nil too
    };
  }

  private static BigInteger integer(Object value) {
    return switch (value) {
      case Integer i -> BigInteger.valueOf(i);
      case Long l -> BigInteger.valueOf(l);
      case BigInteger b -> b;
      case null, default -> throw new EtfException("signed_at is not an integer");
    };
  }

  /**
   * Judges the token at {@code nowMs}. The max age is {@code override} when given, else the stored
   * one; the checks run in plug_crypto's order: infinity, non-positive, future, expired.
   */
  TokenResult check(Duration override, long nowMs) {
    BigInteger maxAgeMs;
    if (override != null) {
      if (override.isZero() || override.isNegative()) {
        return new TokenResult.Expired();
      }
      maxAgeMs =
          BigInteger.valueOf(override.getSeconds())
              .multiply(THOUSAND)
              .add(BigInteger.valueOf(override.getNano() / 1_000_000));
    } else {
      switch (storedMaxAge) {
        case Etf.Atom a when a.equals(INFINITY) -> {
          return new TokenResult.Valid(data);
        }
        case Integer _, Long _, BigInteger _ -> {
          BigInteger seconds = integer(storedMaxAge);
          if (seconds.signum() <= 0) {
            return new TokenResult.Expired();
          }
          maxAgeMs = seconds.multiply(THOUSAND);
        }
        case Double d -> {
          if (d <= 0) {
            return new TokenResult.Expired();
          }
          maxAgeMs = BigDecimal.valueOf(d).multiply(BigDecimal.valueOf(1000)).toBigInteger(); // trunc
        }
        case null, default -> {
          return new TokenResult.Invalid(); // Plug.Crypto would crash on it; no Phoenix makes one
        }
      }
    }
    BigInteger now = BigInteger.valueOf(nowMs);
    if (signedMs.compareTo(now) > 0) {
      return new TokenResult.Invalid(); // from the future: no clock-skew allowance, as Phoenix
    }
    if (signedMs.add(maxAgeMs).compareTo(now) < 0) {
      return new TokenResult.Expired();
    }
    return new TokenResult.Valid(data);
  }
}
