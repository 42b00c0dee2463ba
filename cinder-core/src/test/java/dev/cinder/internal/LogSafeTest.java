package dev.cinder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {
  @Test
  void shortValuesPassUnchanged() {
    assertThat(LogSafe.clip("room:lobby")).isEqualTo("room:lobby");
    assertThat(LogSafe.clip(null)).isEqualTo("null");
  }

  @Test
  void longValuesAreClippedWithACountOfWhatWasLeftOut() {
    String clipped = LogSafe.clip("x".repeat(1 << 20));
    assertThat(clipped).startsWith("x".repeat(LogSafe.MAX_CHARS)).endsWith("…(1048456 more chars)");
    assertThat(clipped.length()).isLessThan(LogSafe.MAX_CHARS + 30);
  }

  @Test
  void controlCharactersCannotForgeLogLines() {
    assertThat(LogSafe.clip("a\nWARN fake\r\u0000")).isEqualTo("a\\x0aWARN fake\\x0d\\x00");
  }
}
