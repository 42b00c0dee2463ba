package dev.cinder.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.internal.token.Etf;
import dev.cinder.internal.token.EtfException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoenixTokenTest {
  // Vectors produced with the real plug_crypto.
  static final String SECRET = "a".repeat(64);
  static final String SALT = "user socket";
  static final Instant SIGNED_AT = Instant.ofEpochSecond(1_700_000_000);
  static final String KEY_HEX = "a829241796f5908f5027dc39e02f1aee5889fb7f62df4198b00369defd2e9fad";
  static final String VECTOR_42 = "SFMyNTY.g2gDYSpuBgAAaOXPiwFiAAFRgA.vS9_m3KrZklLiGW90qm-ecaOXJmcQDrOJHiay9rGJEo";
  static final String VECTOR_USER =
      "SFMyNTY.g2gDbQAAAAh1c2VyLTEyM24GAABo5c-LAWIAEnUA.N3ihjepKRdE5Zl1Gi5Lb7NWWSiysICliR2K7GYz1Fxg";

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private static PhoenixToken at(Instant now) {
    return PhoenixToken.forSecret(SECRET, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static PhoenixToken justAfterSigning() {
    return at(SIGNED_AT.plusSeconds(1));
  }

  private static TokenResult valid(Object data) {
    return new TokenResult.Valid(data);
  }

  /** A token over arbitrary plaintext, MACed here with the JDK, independently of the code under test. */
  private static String forge(String header, String macAlgorithm, byte[] plaintext) throws Exception {
    String signedPart = header + "." + B64.encodeToString(plaintext);
    Mac mac = Mac.getInstance(macAlgorithm);
    mac.init(new SecretKeySpec(HexFormat.of().parseHex(KEY_HEX), macAlgorithm));
    return signedPart + "." + B64.encodeToString(mac.doFinal(signedPart.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String forge(byte[] plaintext) throws Exception {
    return forge("SFMyNTY", "HmacSHA256", plaintext);
  }

  @Test
  void firstTestVector() {
    PhoenixToken tokens = justAfterSigning();
    assertThat(HexFormat.of().formatHex(tokens.key(SALT))).isEqualTo(KEY_HEX);
    assertThat(Etf.encode(Etf.Tuple.of(42, SIGNED_AT.toEpochMilli(), 86_400)))
        .isEqualTo(HexFormat.of().parseHex("83680361" + "2a6e0600" + "0068e5cf" + "8b016200" + "015180"));
    assertThat(tokens.sign(SALT, 42, PhoenixToken.DEFAULT_MAX_AGE, SIGNED_AT)).isEqualTo(VECTOR_42);
    assertThat(tokens.verify(SALT, VECTOR_42)).isEqualTo(valid(42));
  }

  @Test
  void secondTestVector() {
    PhoenixToken tokens = justAfterSigning();
    assertThat(tokens.sign(SALT, "user-123", Duration.ofSeconds(1_209_600), SIGNED_AT)).isEqualTo(VECTOR_USER);
    assertThat(tokens.verify(SALT, VECTOR_USER)).isEqualTo(valid("user-123"));
  }

  @Test
  void signUsesTheClockAndTheDefaultMaxAge() {
    PhoenixToken tokens = at(SIGNED_AT);
    assertThat(tokens.sign(SALT, 42)).isEqualTo(VECTOR_42);
    String payload = tokens.sign(SALT, "x").split("\\.")[1];
    assertThat(Etf.decode(Base64.getUrlDecoder().decode(payload)))
        .isEqualTo(Etf.Tuple.of("x", SIGNED_AT.toEpochMilli(), 86_400));
  }

  @Test
  void expiresAfterTheStoredMaxAge() {
    Instant deadline = SIGNED_AT.plus(PhoenixToken.DEFAULT_MAX_AGE);
    assertThat(at(deadline).verify(SALT, VECTOR_42)).isEqualTo(valid(42)); // the bound is inclusive
    assertThat(at(deadline.plusMillis(1)).verify(SALT, VECTOR_42)).isEqualTo(new TokenResult.Expired());
    assertThat(at(SIGNED_AT.plus(Duration.ofDays(13))).verify(SALT, VECTOR_USER)).isEqualTo(valid("user-123"));
    assertThat(at(SIGNED_AT.plus(Duration.ofDays(15))).verify(SALT, VECTOR_USER)).isEqualTo(new TokenResult.Expired());
  }

  @Test
  void aTokenFromTheFutureIsInvalid() {
    assertThat(at(SIGNED_AT).verify(SALT, VECTOR_42)).isEqualTo(valid(42));
    assertThat(at(SIGNED_AT.minusMillis(1)).verify(SALT, VECTOR_42)).isEqualTo(new TokenResult.Invalid());
  }

  @Test
  void maxAgeGivenToVerifyReplacesTheStoredOne() {
    PhoenixToken later = at(SIGNED_AT.plusSeconds(11));
    assertThat(later.verify(SALT, VECTOR_42, Duration.ofSeconds(10))).isEqualTo(new TokenResult.Expired());
    assertThat(later.verify(SALT, VECTOR_42, Duration.ofSeconds(11))).isEqualTo(valid(42));
    PhoenixToken twoDaysLater = at(SIGNED_AT.plus(Duration.ofDays(2)));
    assertThat(twoDaysLater.verify(SALT, VECTOR_42)).isEqualTo(new TokenResult.Expired());
    assertThat(twoDaysLater.verify(SALT, VECTOR_42, Duration.ofDays(3))).isEqualTo(valid(42));
    assertThat(twoDaysLater.verify(SALT, VECTOR_42, null)).isEqualTo(new TokenResult.Expired());
  }

  @Test
  void aMaxAgeOfZeroOrLessIsExpiredEvenForAFreshToken() {
    PhoenixToken tokens = at(SIGNED_AT);
    assertThat(tokens.verify(SALT, VECTOR_42, Duration.ZERO)).isEqualTo(new TokenResult.Expired());
    assertThat(tokens.verify(SALT, VECTOR_42, Duration.ofSeconds(-1))).isEqualTo(new TokenResult.Expired());
    assertThat(tokens.verify(SALT, tokens.sign(SALT, 1, Duration.ZERO))).isEqualTo(new TokenResult.Expired());
    assertThat(tokens.verify(SALT, tokens.sign(SALT, 1, Duration.ofSeconds(-5)))).isEqualTo(new TokenResult.Expired());
    // even a token from the future: plug_crypto checks max_age <= 0 first
    assertThat(at(SIGNED_AT.minusSeconds(1)).verify(SALT, VECTOR_42, Duration.ZERO)).isEqualTo(new TokenResult.Expired());
  }

  @Test
  void forgedOrTamperedTokensAreInvalid() {
    PhoenixToken tokens = justAfterSigning();
    String[] parts = VECTOR_42.split("\\.");
    char last = parts[2].charAt(0);
    String otherSignature = (last == 'A' ? 'B' : 'A') + parts[2].substring(1);
    assertThat(tokens.verify(SALT, parts[0] + "." + parts[1] + "." + otherSignature)).isEqualTo(new TokenResult.Invalid());
    String otherPayload = B64.encodeToString(Etf.encode(Etf.Tuple.of(43, SIGNED_AT.toEpochMilli(), 86_400)));
    assertThat(tokens.verify(SALT, parts[0] + "." + otherPayload + "." + parts[2])).isEqualTo(new TokenResult.Invalid());
    // same MAC under another header
    assertThat(tokens.verify(SALT, "SFM1MTI." + parts[1] + "." + parts[2])).isEqualTo(new TokenResult.Invalid());
  }

  @Test
  void wrongSaltOrSecretIsInvalid() {
    assertThat(justAfterSigning().verify("other salt", VECTOR_42)).isEqualTo(new TokenResult.Invalid());
    var otherSecret = PhoenixToken.forSecret("b".repeat(64), Clock.fixed(SIGNED_AT.plusSeconds(1), ZoneOffset.UTC));
    assertThat(otherSecret.verify(SALT, VECTOR_42)).isEqualTo(new TokenResult.Invalid());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "garbage",
        ".",
        "..",
        "...",
        "SFMyNTY",
        "SFMyNTY.g2gDYSpuBgAAaOXPiwFiAAFRgA",
        "SFMyNTY.g2gDYSpuBgAAaOXPiwFiAAFRgA.",
        "SFMyNTY..vS9_m3KrZklLiGW90qm-ecaOXJmcQDrOJHiay9rGJEo",
        "SFMyNTY.g2gDYSpuBgAAaOXPiwFiAAFRgA.vS9_m3KrZklLiGW90qm-ecaOXJmcQDrOJHiay9rGJE",
        "SFMyNTY.g2gDYSpuBgAAaOXPiwFiAAFRg.vS9_m3KrZklLiGW90qm-ecaOXJmcQDrOJHiay9rGJEo",
        "SFMyNTY.g2gDYSpuBgAAaOXPiwFiAAFRgA.vS9_m3KrZklLiGW90qm-ecaOXJmcQDrOJHiay9rGJEo.",
        "sfmynty.g2gDYSpuBgAAaOXPiwFiAAFRgA.vS9_m3KrZklLiGW90qm-ecaOXJmcQDrOJHiay9rGJEo",
        "SFMyNTY.g2gDYSpuBgAAaOXPiwFiAAFRgA.vS9/m3KrZklLiGW90qm+ecaOXJmcQDrOJHiay9rGJEo",
        "SFMyNTY.g2gDYSpuBgAAaOXPiwFiAAFRgA!.vS9_m3KrZklLiGW90qm-ecaOXJmcQDrOJHiay9rGJEo",
        "SFMyNTY.g2gDYSpuBgAAaOXPiwFiAAFRgé.vS9_m3KrZklLiGW90qm-ecaOXJmcQDrOJHiay9rGJEo",
        " SFMyNTY.g2gDYSpuBgAAaOXPiwFiAAFRgA.vS9_m3KrZklLiGW90qm-ecaOXJmcQDrOJHiay9rGJEo",
      })
  void truncatedOrGarbageTokensAreInvalid(String token) {
    assertThat(justAfterSigning().verify(SALT, token)).isEqualTo(new TokenResult.Invalid());
  }

  @ParameterizedTest
  @NullAndEmptySource
  void nullOrEmptyTokensAreMissing(String token) {
    assertThat(justAfterSigning().verify(SALT, token)).isEqualTo(new TokenResult.Missing());
    assertThat(justAfterSigning().verify(SALT, token, Duration.ofSeconds(1))).isEqualTo(new TokenResult.Missing());
  }

  @Test
  void acceptsHs384AndHs512Headers() throws Exception {
    byte[] plaintext = Etf.encode(Etf.Tuple.of("user-123", SIGNED_AT.toEpochMilli(), 60));
    PhoenixToken tokens = justAfterSigning();
    assertThat(tokens.verify(SALT, forge("SFM1MTI", "HmacSHA512", plaintext))).isEqualTo(valid("user-123"));
    assertThat(tokens.verify(SALT, forge("SFMzODQ", "HmacSHA384", plaintext))).isEqualTo(valid("user-123"));
    assertThat(tokens.verify(SALT, forge("SFM1MTI", "HmacSHA256", plaintext))).isEqualTo(new TokenResult.Invalid());
    assertThat(tokens.verify(SALT, forge("SFMyNTY", "HmacSHA512", plaintext))).isEqualTo(new TokenResult.Invalid());
  }

  @Test
  void acceptsTheLegacyTwoElementShape() throws Exception {
    String token = forge(Etf.encode(Etf.Tuple.of(7, SIGNED_AT.toEpochMilli())));
    assertThat(justAfterSigning().verify(SALT, token)).isEqualTo(valid(7));
    assertThat(at(SIGNED_AT.plus(Duration.ofSeconds(86_401))).verify(SALT, token)).isEqualTo(new TokenResult.Expired());
  }

  @Test
  void acceptsTheLegacyMapShape() throws Exception {
    var legacy = Map.of(new Etf.Atom("data"), "d", new Etf.Atom("signed"), SIGNED_AT.toEpochMilli());
    String token = forge(Etf.encode(legacy));
    assertThat(justAfterSigning().verify(SALT, token)).isEqualTo(valid("d"));
    assertThat(at(SIGNED_AT.plus(Duration.ofSeconds(86_401))).verify(SALT, token)).isEqualTo(new TokenResult.Expired());
  }

  @Test
  void acceptsACompressedPayload() throws Exception {
    Object data = Map.of("name", "n".repeat(500), "ids", List.of(1, 2, 3));
    byte[] plain = Etf.encode(Etf.Tuple.of(data, SIGNED_AT.toEpochMilli(), 86_400));
    byte[] body = Arrays.copyOfRange(plain, 1, plain.length);
    byte[] compressed = EtfDecoderRobustnessTest.compress(body, body.length);
    assertThat(compressed[1]).isEqualTo((byte) 80);
    assertThat(justAfterSigning().verify(SALT, forge(compressed))).isEqualTo(valid(data));
  }

  @Test
  void storedMaxAgeMayBeInfinityOrAFloat() throws Exception {
    String forever = forge(Etf.encode(Etf.Tuple.of(1, SIGNED_AT.toEpochMilli(), new Etf.Atom("infinity"))));
    assertThat(at(SIGNED_AT.plus(Duration.ofDays(10_000))).verify(SALT, forever)).isEqualTo(valid(1));
    String floaty = forge(Etf.encode(Etf.Tuple.of(1, SIGNED_AT.toEpochMilli(), 1.5)));
    assertThat(at(SIGNED_AT.plusMillis(1500)).verify(SALT, floaty)).isEqualTo(valid(1));
    assertThat(at(SIGNED_AT.plusMillis(1501)).verify(SALT, floaty)).isEqualTo(new TokenResult.Expired());
  }

  @Test
  void authenticPayloadsOfTheWrongShapeAreInvalid() throws Exception {
    PhoenixToken tokens = justAfterSigning();
    long signed = SIGNED_AT.toEpochMilli();
    for (Object plaintext :
        List.of(
            42,
            Etf.Tuple.of(1),
            Etf.Tuple.of(1, signed, 60, 4),
            Etf.Tuple.of(1, "yesterday", 60),
            Etf.Tuple.of(1, 1.7e12, 60),
            Etf.Tuple.of(1, signed, "a day"),
            Etf.Tuple.of(1, signed, new Etf.Atom("forever")),
            Map.of(new Etf.Atom("data"), 1))) {
      assertThat(tokens.verify(SALT, forge(Etf.encode(plaintext)))).as("%s", plaintext).isEqualTo(new TokenResult.Invalid());
    }
    assertThat(tokens.verify(SALT, forge(new byte[] {1, 2, 3}))).isEqualTo(new TokenResult.Invalid());
    assertThat(tokens.verify(SALT, forge(new byte[0]))).isEqualTo(new TokenResult.Invalid());
  }

  @Test
  void timestampArithmeticDoesNotOverflow() throws Exception {
    PhoenixToken tokens = justAfterSigning();
    long signed = SIGNED_AT.toEpochMilli();
    // Long.MAX_VALUE seconds in ms wraps a long negative; Elixir integers do not wrap, nor do ours.
    assertThat(tokens.verify(SALT, forge(Etf.encode(Etf.Tuple.of(1, signed, Long.MAX_VALUE))))).isEqualTo(valid(1));
    assertThat(tokens.verify(SALT, VECTOR_42, Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(valid(42));
    assertThat(tokens.verify(SALT, forge(Etf.encode(Etf.Tuple.of(1, Long.MIN_VALUE, 60))))).isEqualTo(new TokenResult.Expired());
    String farFuture = forge(Etf.encode(Etf.Tuple.of(1, java.math.BigInteger.TEN.pow(40), 60)));
    assertThat(tokens.verify(SALT, farFuture)).isEqualTo(new TokenResult.Invalid());
  }

  @Test
  void structuredDataRoundTrips() {
    PhoenixToken tokens = PhoenixToken.forSecret(SECRET);
    Object data = Map.of("user_id", 123, "roles", List.of(new Etf.Atom("admin"), "editor"), "meta", Etf.Tuple.of(true, 1.5));
    String token = tokens.sign(SALT, data, Duration.ofMinutes(5));
    assertThat(tokens.verify(SALT, token)).isEqualTo(valid(data));
    assertThat(PhoenixToken.forSecret(SECRET).verify(SALT, token)).isEqualTo(valid(data));
    assertThat(tokens.verify(SALT, tokens.sign(SALT, null))).isEqualTo(valid(null));
  }

  @Test
  void rejectsShortSecretsAndFractionalMaxAges() {
    assertThatThrownBy(() -> PhoenixToken.forSecret("x".repeat(19))).isInstanceOf(IllegalArgumentException.class);
    PhoenixToken.forSecret("x".repeat(20));
    PhoenixToken.forSecret("é".repeat(10)); // 20 bytes of UTF-8
    assertThatThrownBy(() -> PhoenixToken.forSecret("é".repeat(9) + "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> justAfterSigning().sign(SALT, 1, Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> justAfterSigning().sign(SALT, new Object())).isInstanceOf(EtfException.class);
  }

  @Test
  void resultsAreDistinctAndExhaustive() {
    TokenResult result = justAfterSigning().verify(SALT, VECTOR_42);
    String name =
        switch (result) {
          case TokenResult.Valid v -> "valid " + v.data();
          case TokenResult.Expired e -> "expired";
          case TokenResult.Invalid i -> "invalid";
          case TokenResult.Missing m -> "missing";
        };
    assertThat(name).isEqualTo("valid 42");
    assertThat(List.of(new TokenResult.Expired(), new TokenResult.Invalid(), new TokenResult.Missing())).doesNotHaveDuplicates();
  }
}
