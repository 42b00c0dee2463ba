package dev.cinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code check_origin} semantics, as Phoenix has them. */
class CheckOriginTest {
  private static CheckOrigin list(String... entries) {
    return CheckOrigin.list(List.of(entries));
  }

  @Test
  void aMissingOriginHeaderIsAlwaysAllowed() {
    assertThat(CheckOrigin.off().allows(null)).isTrue();
    assertThat(CheckOrigin.host("example.com").allows(null)).isTrue();
    assertThat(list("https://example.com").allows(null)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://evil.com", "null", "not a uri", "http://localhost:4000"})
  void offAllowsEverything(String origin) {
    assertThat(CheckOrigin.off().allows(origin)).isTrue();
  }

  @Test
  void hostComparesTheHostOnlyIgnoringSchemeAndPort() {
    CheckOrigin check = CheckOrigin.host("example.com");
    assertThat(check.allows("https://example.com")).isTrue();
    assertThat(check.allows("http://example.com:4000")).isTrue();
    assertThat(check.allows("ws://example.com")).isTrue();
    assertThat(check.allows("https://www.example.com")).isFalse();
    assertThat(check.allows("https://example.com.evil.org")).isFalse();
    assertThat(check.allows("https://evil.com")).isFalse();
  }

  @Test
  void anOriginWithoutHostIsRefused() {
    assertThat(CheckOrigin.host("example.com").allows("null")).isFalse();
    assertThat(list("//example.com").allows("null")).isFalse();
    assertThat(list("//example.com").allows("file:///etc/passwd")).isFalse();
    assertThat(list("//example.com").allows("::not a uri::")).isFalse();
  }

  @Test
  void anEntryWithSchemeFixesSchemeAndDefaultPort() {
    CheckOrigin check = list("https://example.com");
    assertThat(check.allows("https://example.com")).isTrue();
    assertThat(check.allows("https://example.com:443")).isTrue();
    assertThat(check.allows("http://example.com")).isFalse();
    assertThat(check.allows("https://example.com:8443")).isFalse();
    assertThat(check.allows("https://other.com")).isFalse();
  }

  @Test
  void httpMeansPort80() {
    CheckOrigin check = list("http://x");
    assertThat(check.allows("http://x")).isTrue();
    assertThat(check.allows("http://x:80")).isTrue();
    assertThat(check.allows("http://x:8080")).isFalse();
  }

  @Test
  void anExplicitPortMustMatch() {
    CheckOrigin check = list("http://localhost:4000");
    assertThat(check.allows("http://localhost:4000")).isTrue();
    assertThat(check.allows("http://localhost:4001")).isFalse();
    assertThat(check.allows("http://localhost")).isFalse();
  }

  @Test
  void anEntryWithoutSchemeMatchesAnySchemeAndPort() {
    CheckOrigin check = list("//example.com");
    assertThat(check.allows("https://example.com")).isTrue();
    assertThat(check.allows("http://example.com:4000")).isTrue();
    assertThat(check.allows("https://sub.example.com")).isFalse();
  }

  @Test
  void anEntryWithoutSchemeButWithAPortStillFixesThePort() {
    CheckOrigin check = list("//example.com:4000");
    assertThat(check.allows("http://example.com:4000")).isTrue();
    assertThat(check.allows("https://example.com:4000")).isTrue();
    assertThat(check.allows("http://example.com:4001")).isFalse();
    assertThat(check.allows("https://example.com")).isFalse();
  }

  @Test
  void aWildcardEntryMatchesTheDomainAndAllItsSubdomains() {
    CheckOrigin check = list("//*.example.com");
    assertThat(check.allows("https://example.com")).isTrue();
    assertThat(check.allows("https://app.example.com")).isTrue();
    assertThat(check.allows("http://a.b.example.com:4000")).isTrue();
    assertThat(check.allows("https://badexample.com")).isFalse();
    assertThat(check.allows("https://example.com.evil.org")).isFalse();
    assertThat(check.allows("https://example.org")).isFalse();
  }

  @Test
  void aWildcardEntryWithASchemeKeepsTheScheme() {
    CheckOrigin check = list("https://*.example.com");
    assertThat(check.allows("https://app.example.com")).isTrue();
    assertThat(check.allows("http://app.example.com")).isFalse();
  }

  @Test
  void anyMatchingEntryAllows() {
    CheckOrigin check = list("https://example.com", "//localhost");
    assertThat(check.allows("https://example.com")).isTrue();
    assertThat(check.allows("http://localhost:4000")).isTrue();
    assertThat(check.allows("http://example.com")).isFalse();
  }

  @Test
  void listMatchingIgnoresCase() {
    assertThat(list("https://Example.com").allows("HTTPS://EXAMPLE.COM")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "null", "https://"})
  void anEntryWithoutHostIsAConfigurationError(String entry) {
    assertThatThrownBy(() -> list(entry)).isInstanceOf(IllegalArgumentException.class);
  }
}
