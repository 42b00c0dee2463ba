package dev.cinder.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cinder.internal.token.Etf;
import dev.cinder.internal.token.EtfException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzz tests of the Phoenix.Token verify path (docs/fuzzing.md). A client chooses the whole token;
 * once the MAC checks out, the plaintext goes through the Erlang term decoder. Decoding either returns a term or
 * throws {@link EtfException}; verifying always answers a {@link TokenResult}. Anything else thrown is a finding.
 *
 * <p>Saved inputs: {@code src/test/resources/dev/cinder/token/TokenFuzzTestInputs/<method>/}.
 */
class TokenFuzzTest {
  private static final String SALT = PhoenixTokenTest.SALT;
  // Just after PhoenixTokenTest's vectors were signed, so they verify as Valid.
  private static final PhoenixToken TOKENS =
      PhoenixToken.forSecret(PhoenixTokenTest.SECRET, Clock.fixed(PhoenixTokenTest.SIGNED_AT.plusSeconds(1), ZoneOffset.UTC));
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** Bytes after the MAC check: any term decodes, or EtfException; a decoded term encodes and decodes to itself. */
  @FuzzTest
  void etfTerm(byte[] data) {
    Object term;
    try {
      term = Etf.decode(data);
    } catch (EtfException refused) {
      return;
    }
    Object again = Etf.decode(Etf.encode(term));
    assertThat(sameTerm(term, again)).as("decode(encode(%s)) gave %s", term, again).isTrue();
  }

  /** Any plaintext under a genuine MAC, as a token that leaked its key or a buggy signer would present. */
  @FuzzTest
  void signedPlaintext(byte[] plaintext) {
    String token = signed(plaintext);
    TokenResult stored = TOKENS.verify(SALT, token);
    TokenResult overridden = TOKENS.verify(SALT, token, Duration.ofSeconds(60));
    assertThat(stored).isNotNull();
    assertThat(overridden).isNotNull();
    if (stored instanceof TokenResult.Valid || overridden instanceof TokenResult.Valid) {
      // Only a plaintext of a known shape can be valid, and the data handed out is what it carries.
      Object data = SignedPayload.of(Etf.decode(plaintext)).data();
      Object given = stored instanceof TokenResult.Valid v ? v.data() : ((TokenResult.Valid) overridden).data();
      assertThat(sameTerm(given, data)).isTrue();
    }
  }

  /** The whole token string as a client sends it: never an exception, and a forged MAC is never valid. */
  @FuzzTest
  void tokenString(byte[] data) {
    String token = new String(data, StandardCharsets.UTF_8);
    TokenResult result = TOKENS.verify(SALT, token);
    assertThat(result).isNotNull();
    assertThat(result instanceof TokenResult.Missing).isEqualTo(token.isEmpty());
    if (!(result instanceof TokenResult.Invalid) && !token.isEmpty()) {
      // Valid or expired means the MAC matched: the token must be exactly the one signed over its plaintext.
      int first = token.indexOf('.');
      int second = token.indexOf('.', first + 1);
      byte[] plaintext = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
      assertThat(signed(plaintext)).isEqualTo(token);
    }
  }

  private static String signed(byte[] plaintext) {
    String signedPart = HmacAlgorithm.HS256.header + "." + B64.encodeToString(plaintext);
    byte[] mac = HmacAlgorithm.HS256.mac(TOKENS.key(SALT), signedPart.getBytes(StandardCharsets.US_ASCII));
    return signedPart + "." + B64.encodeToString(mac);
  }

  /** Term equality with byte arrays compared by content, maps in their (decoded) order. */
  static boolean sameTerm(Object a, Object b) {
    return switch (a) {
      case byte[] bytes -> b instanceof byte[] other && Arrays.equals(bytes, other);
      case Etf.Tuple t -> b instanceof Etf.Tuple other && sameList(t.elements(), other.elements());
      case List<?> list -> b instanceof List<?> other && sameList(list, other);
      case Map<?, ?> map -> b instanceof Map<?, ?> other && sameMap(map, other);
      case null -> b == null;
      default -> a.equals(b);
    };
  }

  private static boolean sameList(List<?> a, List<?> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!sameTerm(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameMap(Map<?, ?> a, Map<?, ?> b) {
    if (a.size() != b.size()) {
      return false;
    }
    Iterator<? extends Map.Entry<?, ?>> left = a.entrySet().iterator();
    Iterator<? extends Map.Entry<?, ?>> right = b.entrySet().iterator();
    while (left.hasNext()) {
      Map.Entry<?, ?> x = left.next();
      Map.Entry<?, ?> y = right.next();
      if (!sameTerm(x.getKey(), y.getKey()) || !sameTerm(x.getValue(), y.getValue())) {
        return false;
      }
    }
    return true;
  }
}
