package dev.cinder.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtmlTextTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "<b>hi</b> there | hi there",
      "<script>alert(1)</script>hello | hello",
      "<style>p{color:red}</style>x | x",
      "<img src=x onerror=alert(1)>ok | ok",
      "<a href=\"javascript:alert(1)\">link</a> | link",
      "<!-- note -->x | x",
      "x<br>y | xy",
      "&lt;b&gt;bold&lt;/b&gt; | bold",
      "5 &amp; 6 | 5 & 6",
      "a < b && c > d | a < b && c > d",
      "plain text | plain text",
  })
  void stripsTagsAndKeepsText(String input, String expected) {
    assertThat(HtmlText.strip(input)).isEqualTo(expected);
  }

  @Test
  void keepsWhitespaceAndUnicodeAsTyped() {
    assertThat(HtmlText.strip("  two\n lines  ")).isEqualTo("  two\n lines  ");
    assertThat(HtmlText.strip("héllo 👋 <i>wörld</i>")).isEqualTo("héllo 👋 wörld");
  }

  @Test
  void strippingIsIdempotent() {
    for (String input : new String[] {"&amp;lt;b&amp;gt;x", "<<b>b>x", "&lt;<i>script</i>&gt;alert(1)"}) {
      String once = HtmlText.strip(input);
      assertThat(HtmlText.strip(once)).as(input).isEqualTo(once);
      assertThat(once).as(input).doesNotContain("<b>", "<script>");
    }
  }
}
