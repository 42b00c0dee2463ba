package dev.cinder.pipeline;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Turns user input that may hold HTML into plain text: tags, comments, scripts and styles are removed by jsoup's
 * {@link Cleaner} with {@link Safelist#none()}, entities are decoded, whitespace is kept as typed.
 *
 * <p>The result is text, not HTML: display it as text ({@code textContent}), never through {@code innerHTML}.
 * Because decoding {@code &lt;b&gt;} yields {@code <b>}, the stripping repeats until nothing changes (a few
 * passes at most), so stripping twice gives the same text as stripping once.
 */
public final class HtmlText {
  private static final int MAX_PASSES = 4;
  private static final Cleaner CLEANER = new Cleaner(Safelist.none());

  private HtmlText() {}

  public static String strip(String input) {
    String text = input;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      String next = stripOnce(text);
      if (next.equals(text)) {
        return next;
      }
      text = next;
    }
    return text;
  }

  private static String stripOnce(String input) {
    if (input.indexOf('<') < 0 && input.indexOf('&') < 0) {
      return input; // nothing jsoup would change: skip the parse
    }
    Document clean = CLEANER.clean(Jsoup.parseBodyFragment(input));
    return clean.body().wholeText();
  }
}
