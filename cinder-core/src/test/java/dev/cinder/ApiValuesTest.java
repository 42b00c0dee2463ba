package dev.cinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small value types of the public API: Join, Reply, Assigns, SocketOptions. */
class ApiValuesTest {
  @Test
  void joinOutcomes() {
    assertThat(Join.ok().isOk()).isTrue();
    assertThat(Join.ok().response()).isEqualTo(Payload.empty());
    assertThat(Join.ok(Map.of("a", 1)).response()).isEqualTo(Payload.parse("{\"a\":1}"));
    Join error = Join.error(Map.of("reason", "unauthorized"));
    assertThat(error.isOk()).isFalse();
    assertThat(error.response().string("reason")).isEqualTo("unauthorized");
  }

  @Test
  void replies() {
    assertThat(Reply.none().isNone()).isTrue();
    assertThat(Reply.ok().isNone()).isFalse();
    assertThat(Reply.ok().status()).isEqualTo("ok");
    assertThat(Reply.ok().response()).isEqualTo(Payload.empty());
    assertThat(Reply.ok(Map.of("id", 7)).response()).isEqualTo(Payload.parse("{\"id\":7}"));
    assertThat(Reply.error(Map.of()).status()).isEqualTo("error");
    assertThat(Reply.of("pending", Map.of()).status()).isEqualTo("pending");
    assertThatThrownBy(() -> Reply.of(null, Map.of())).isInstanceOf(NullPointerException.class);
  }

  @Test
  void assignsDropNullValuesAndCopiesAreIndependent() {
    Assigns assigns = Assigns.of(Map.of("user_id", 42, "room", "lobby"));
    assertThat((Integer) assigns.get("user_id")).isEqualTo(42);

    Assigns copy = assigns.copy();
    copy.put("room", "other").put("extra", true);
    assertThat((String) assigns.get("room")).isEqualTo("lobby");
    assertThat(assigns.asMap()).doesNotContainKey("extra");

    assigns.put("room", null);
    assertThat(assigns.asMap()).isEqualTo(Map.of("user_id", 42));
    assertThat((Object) assigns.get("missing")).isNull();
  }

  @Test
  void assignsAsMapIsASnapshot() {
    Assigns assigns = new Assigns().put("a", 1);
    Map<String, Object> snapshot = assigns.asMap();
    assigns.put("b", 2);
    assertThat(snapshot).isEqualTo(Map.of("a", 1));
    assertThatThrownBy(() -> snapshot.put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void socketOptionDefaultsFollowPhoenix() {
    SocketOptions defaults = SocketOptions.defaults();
    assertThat(defaults.maxChannels()).isEqualTo(100);
    assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.maxFrameSize()).isEqualTo(1 << 20);
    assertThat(defaults.checkOrigin()).isSameAs(CheckOrigin.off());
  }

  @Test
  void eachSocketOptionSetterChangesOnlyItsField() {
    SocketOptions base = SocketOptions.defaults();
    CheckOrigin origin = CheckOrigin.host("example.com");
    SocketOptions five = base.maxChannels(5);
    assertThat(five.maxChannels()).isEqualTo(5);
    assertThat(five).isNotEqualTo(base).isEqualTo(base.maxChannels(5));
    assertThat(five.maxChannels(100)).isEqualTo(base); // nothing else changed
    assertThat(base.idleTimeout(Duration.ofSeconds(1)).idleTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(base.maxFrameSize(4096).maxFrameSize()).isEqualTo(4096);
    assertThat(base.checkOrigin(origin).checkOrigin()).isSameAs(origin);
    assertThat(base.compress(!base.compress()).compress()).isEqualTo(!base.compress());
    assertThat(base.authToken(!base.authToken()).authToken()).isEqualTo(!base.authToken());
    assertThat(base.longPoll(!base.longPoll()).longPoll()).isEqualTo(!base.longPoll());
    assertThat(base.compress(true).maxChannels(7))
        .isEqualTo(base.maxChannels(7).compress(true)); // setters compose, order irrelevant
    assertThat(SocketOptions.defaults()).isEqualTo(base); // nothing was changed in place
  }

  @Test
  void socketOptionsRejectNonsense() {
    SocketOptions base = SocketOptions.defaults();
    assertThatThrownBy(() -> base.maxChannels(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> base.maxFrameSize(1023)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> base.idleTimeout(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> base.checkOrigin(null)).isInstanceOf(NullPointerException.class);
    // A zero or negative timeout would end every connection or long-poll session at once.
    assertThatThrownBy(() -> base.idleTimeout(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("idleTimeout must be positive");
    assertThatThrownBy(() -> base.longPollWindow(java.time.Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("longPollWindow must be positive");
    assertThat(base.idleTimeout(java.time.Duration.ofMillis(1)).idleTimeout()).isEqualTo(java.time.Duration.ofMillis(1));
  }
}
