package dev.cinder.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Pbkdf2Test {
  /** The JDK's PBKDF2 encodes its char[] password as UTF-8, so for text it is a reference. */
  @ParameterizedTest
  @CsvSource({
    "passwd, salt, 1, 64",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, user socket, 1000, 32",
    "pässwörd ✓ with some length to it, Elixir.MyApp.PubSub, 1000, 40",
    "p, s, 2, 1",
  })
  void matchesTheJdkImplementation(String password, String salt, int iterations, int length) throws Exception {
    byte[] expected =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(new PBEKeySpec(password.toCharArray(), salt.getBytes(StandardCharsets.UTF_8), iterations, length * 8))
            .getEncoded();
    byte[] actual =
        Pbkdf2.hmacSha256(password.getBytes(StandardCharsets.UTF_8), salt.getBytes(StandardCharsets.UTF_8), iterations, length);
    assertThat(actual).isEqualTo(expected);
  }
}
