package dev.cinder.example.chat;

import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Turns user input that may hold HTML into plain text: tags, comments, scripts and styles are removed by jsoup's
 * {@link Cleaner} with {@link Safelist#none()}, entities are decoded, whitespace is kept as typed.
 *
 * <p>The result is text, not HTML: display it as text ({@code textContent}), never through {@code innerHTML}.
 * Because decoding {@code &lt;b&gt;} yields {@code <b>}, and {@code &amp;lt;b&amp;gt;} yields {@code &lt;b&gt;},
 * one pass is not enough: the stripping repeats until nothing changes, however deep the encoding. The result is
 * a fixed point ({@code strip(strip(s)).equals(strip(s))}) in which no {@code <} opens markup: none is followed
 * by an ASCII letter, {@code !} or {@code ?}, and {@code </} can only be the last two characters (text to a
 * parser).
 */
final class HtmlText {
  private static final Cleaner CLEANER = new Cleaner(Safelist.none());
  /** Where an HTML parser would start a tag, end tag, comment, doctype or processing instruction. */
  private static final Pattern MARKUP_START = Pattern.compile("<[A-Za-z!?]|</.");

  private HtmlText() {}

  static String strip(String input) {
    String text = input;
    // A pass that changes the text decodes an entity or drops markup, so it shortens it: the text's length
    // bounds the passes (one per level of encoding in practice).
    for (int pass = 0; pass <= input.length(); pass++) {
      String next = stripOnce(text);
      if (next.equals(text)) {
        return next;
      }
      text = next;
    }
    throw new IllegalStateException("HTML stripping did not settle within " + input.length() + " passes");
  }

  private static String stripOnce(String input) {
    if (!MARKUP_START.matcher(input).find()) {
      // Only text and character references: what the parse would do, without building a document. A deep
      // encoding (one level per pass) so costs a string scan per level, not a parse.
      return input.indexOf('&') < 0 ? input : Parser.unescapeEntities(input, false);
    }
    Document clean = CLEANER.clean(Jsoup.parseBodyFragment(input));
    return clean.body().wholeText();
  }
}
