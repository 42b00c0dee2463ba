package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

  /**
   * What "no HTML left" means, exactly: the text is its own stripped form, and no '<' in it opens markup for an
   * HTML parser: none is followed by an ASCII letter (a tag), '!' (a comment or doctype) or '?' (a processing
   * instruction), and "</" occurs only as the last two characters (where a parser reads it as text).
   */
  private static final Pattern MARKUP_START = Pattern.compile("<[A-Za-z!?]|</.");

  private static void assertPlainText(String input, String output) {
    assertThat(MARKUP_START.matcher(output).find()).as("markup left in %s from %s", output, input).isFalse();
    assertThat(HtmlText.strip(output)).as("a fixed point: %s from %s", output, input).isEqualTo(output);
  }

  private static final UnaryOperator<String> NAMED = s -> s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  private static final UnaryOperator<String> DECIMAL = s -> s.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;");
  private static final UnaryOperator<String> HEX = s -> s.replace("&", "&#x26;").replace("<", "&#x3C;").replace(">", "&#x3e;");

  private static String encode(String text, int depth, UnaryOperator<String> encoding) {
    for (int i = 0; i < depth; i++) {
      text = encoding.apply(text);
    }
    return text;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void nestedEncodingsOfATagAreStrippedAtAnyDepth(int depth) {
    String tag = "<img src=x onerror=alert(1)>hi";
    for (UnaryOperator<String> encoding : java.util.List.of(NAMED, DECIMAL, HEX)) {
      String input = encode(tag, depth, encoding);
      assertThat(HtmlText.strip(input)).as(input).isEqualTo("hi");
    }
    // The levels need not use one encoding: named outside, numeric inside, and the reverse.
    String mixed = HEX.apply(NAMED.apply(encode(tag, depth, DECIMAL)));
    assertThat(HtmlText.strip(mixed)).as(mixed).isEqualTo("hi");
    assertThat(HtmlText.strip(encode("<script>alert(1)</script>ok", depth, NAMED))).isEqualTo("ok");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "&amp;lt;b&amp;gt;x | x",
      "&#60;b&#62;x | x",
      "&amp;#60;img src=x onerror=alert(1)&amp;#62;x | x",
      "&lt;scr<b>ipt>alert(1)&lt;/script>ok | ok",
      "&lt;scr<script>ipt>alert(1)</script>ok&gt; x | \" x\"",
      "<scr<script>ipt>alert(1)</script>ok | ipt>alert(1)ok",
      "&lt;&lt;b&gt;b&gt;x | x",
      "&lt;!-- c --&gt;x | x",
      "&lt;?php x ?&gt;y | y",
      "&lt;/b&gt;x | x",
      "x &lt;3 y | x <3 y",
      "5 &amp;amp;lt; 6 | 5 < 6",
  })
  void mixedAndBrokenEncodingsEndAsPlainText(String input, String expected) {
    String output = HtmlText.strip(input);
    assertThat(output).as(input).isEqualTo(expected);
    assertPlainText(input, output);
  }

  @Test
  void aDeepEncodingOfABodyAtTheLengthLimitEnds() {
    String input = encode("<b>x</b>", 60, NAMED); // each level adds "amp;": ~2 KiB
    assertThat(HtmlText.strip(input)).isEqualTo("x");
  }

  /** Random mixtures of markup, entities and their pieces: every output is plain text by the invariant above. */
  @Test
  void everyOutputIsPlainText() {
    String[] pieces = {"<", ">", "&", "&amp;", "&lt;", "&gt;", "&#60;", "&#x3c;", "&#62;", "lt;", "gt;", "amp;", "#60;",
        "/", "!", "?", "--", "b", "img", "script", "i", " ", "x", "=", "\"", "'", "\n", "é", "<3", "&nbsp;"};
    for (long seed = 1; seed <= 500; seed++) {
      Random random = new Random(seed);
      StringBuilder input = new StringBuilder();
      int length = 1 + random.nextInt(24);
      for (int i = 0; i < length; i++) {
        input.append(pieces[random.nextInt(pieces.length)]);
      }
      String text = random.nextBoolean() ? input.toString() : encode(input.toString(), 1 + random.nextInt(6), NAMED);
      assertPlainText("seed " + seed + ": " + text, HtmlText.strip(text));
    }
  }
}
