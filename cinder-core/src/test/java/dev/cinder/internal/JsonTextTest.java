package dev.cinder.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/** Reading a value as text checks what building its tree would, and cuts out exactly its bytes. */
class JsonTextTest {
  private static JsonText read(TokenStreamFactory factory, byte[] input) {
    try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), input)) {
      parser.nextToken();
      return JsonText.read(parser, input, 0, IllegalArgumentException::new);
    }
  }

  @Test
  void aStringOverTheLengthLimitIsRefusedWhereverItIs() {
    // Jackson does not measure strings it skips; with a limit below the input's size each must be read.
    TokenStreamFactory small = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(10).build()).build();
    byte[] nested = "{\"a\":[\"0123456789abcdef\"]}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> read(small, nested)).isInstanceOf(StreamConstraintsException.class);
    assertThat(read(small, "{\"a\":[\"short\"]}".getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo("{\"a\":[\"short\"]}");
  }

  @Test
  void textThatIsNotUtf8IsRefusedNotCutWrong() {
    byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE);
    assertThatThrownBy(() -> read(Json.MAPPER.tokenStreamFactory(), utf16))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UTF-8");
  }

  @Test
  void aNumberEndingTheDocumentLeavesTheWhitespaceAfterIt() {
    assertThat(read(Json.MAPPER.tokenStreamFactory(), "-12 \n".getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo("-12");
  }
}
