package dev.cinder.internal.serializer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SerializersTest {
  @Test
  void missingVsnMeansV1() {
    assertThat(Serializers.forVsn(null)).containsSame(V1JsonSerializer.INSTANCE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0.0", "1.0.1", "1.0.99", "1.0.0+build.7", "1.0.1-rc.1", "1.0.2-0+x"})
  void oneZeroXSelectsV1(String vsn) {
    assertThat(Serializers.forVsn(vsn)).containsSame(V1JsonSerializer.INSTANCE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2.0.0", "2.0.7", "2.0.0+sha.0abc", "2.0.3-beta", "2.0.123456789012345678901234567890"})
  void twoZeroXSelectsV2(String vsn) {
    assertThat(Serializers.forVsn(vsn)).containsSame(V2JsonSerializer.INSTANCE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // parse but do not match ~> 1.0.0 / ~> 2.0.0
        "123.1.1", "2.1.0", "1.1.0", "3.0.0", "0.0.1", "2.0.0-rc.1", "1.0.0-alpha",
        // do not parse as semantic versions
        "2.0", "2", "abc", "", "v2.0.0", " 2.0.0", "2.0.0 ", "02.0.0", "2.00.0", "2.0.00", "2.0.0.0",
        "2.0.0-", "2.0.0+", "2.0.0-01", "2.0.0-a..b", "2.0.0-a_b", "2.0.0+a+b", "2.-0.0", "２.0.0", "2.0.x"
      })
  void anythingElseIsRefused(String vsn) {
    assertThat(Serializers.forVsn(vsn)).isEmpty();
  }

  @Test
  void serializersAreSingletonsWithTheirVersion() {
    assertThat(Serializers.forVsn("2.0.0")).containsSame(Serializers.forVsn("2.0.1").orElseThrow());
    assertThat(V1JsonSerializer.INSTANCE.version()).isEqualTo("1.0.0");
    assertThat(V2JsonSerializer.INSTANCE.version()).isEqualTo("2.0.0");
  }
}
