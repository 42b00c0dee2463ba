package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import java.util.Map;

/**
 * Proves, without sleeping, that nothing a channel broadcast so far can still reach another client. A channel
 * handles its pushes one at a time, and a broadcast hands the message to every subscriber before it returns:
 * into the mailbox of those that intercept the event, straight onto the socket of the others. So a ping
 * answered by the publisher's channel means its earlier broadcasts are handed over; a ping answered afterwards
 * by the recipient's channel means that channel has handled, and sent, everything handed to it before.
 */
final class Fence {
  private Fence() {}

  /** Once this returns, whatever {@code publisher}'s channel broadcast before is in {@code recipient}'s log. */
  static void after(JsChannel publisher, JsChannel recipient) {
    ping(publisher);
    ping(recipient);
  }

  /** A round trip through the channel: it comes back after everything the channel sent before it. */
  static void ping(JsChannel channel) {
    assertThat(channel.push("ping", Map.of("fence", true)).isOk()).as("ping on %s", channel).isTrue();
  }
}
