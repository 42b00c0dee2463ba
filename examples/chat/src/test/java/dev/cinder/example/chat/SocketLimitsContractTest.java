package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The socket's limits, from the official client: at most 100 channels per socket, frames of at most 1 MiB. */
class SocketLimitsContractTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final ChatServer server = ChatServer.perClass();
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  private JsSocket connect(String userId) throws Exception {
    return js.connect(server.socketUrl(), Map.of("token", server.token(userId)));
  }

  @Test
  void theHundredAndFirstChannelIsRefusedAndTheOthersStayJoined() throws Exception {
    JsSocket socket = connect("olga");
    JsChannel first = socket.channel("bench:limit-1");
    assertThat(first.join().status()).isEqualTo("ok");
    for (int i = 2; i <= 100; i++) {
      assertThat(socket.channel("bench:limit-" + i).join().status()).as("join %d", i).isEqualTo("ok");
    }
    JsChannel extra = socket.channel("bench:limit-101");
    JsReply refused = extra.join();
    assertThat(refused.status()).isEqualTo("error");
    assertThat(refused.response().get("reason").stringValue()).isEqualTo("too many channels joined");
    extra.leave();
    assertThat(first.push("ping", Map.of("still", "joined")).response().get("still").stringValue()).isEqualTo("joined");
  }

  @Test
  void aFrameOverOneMebibyteClosesThatConnectionWith1009() throws Exception {
    JsSocket bystander = connect("pia");
    JsChannel calm = bystander.channel("bench:frames");
    calm.join();
    JsChannel big = connect("quin").channel("bench:frames");
    big.join();
    big.pushNoReply("ping", Map.of("body", "x".repeat((1 << 20) + 1)));
    assertThat(big.socket().awaitClose(WAIT)).isEqualTo(1009);
    assertThat(calm.push("ping", Map.of("n", 1)).status()).isEqualTo("ok");
    bystander.assertNoClose(Duration.ZERO);
  }
}
