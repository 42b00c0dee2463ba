package dev.cinder.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Assigns;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Params;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.internal.serializer.V1JsonSerializer;
import dev.cinder.internal.serializer.V2JsonSerializer;
import dev.cinder.pubsub.LocalPubSub;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Accepting a connection: serializer by {@code vsn}, the handler's connect and id. */
class SocketMountTest {
  private static SocketMount mount(Function<Params, Connect> connect) {
    SocketHandler handler = new SocketHandler() {
      @Override
      public void routes(Routes routes) {}

      @Override
      public Connect connect(Params params, ConnectInfo info) {
        return connect.apply(params);
      }

      @Override
      public String id(Assigns assigns) {
        Object user = assigns.get("user_id");
        return user == null ? null : "user_socket:" + user;
      }
    };
    return new SocketMount("/socket", handler, SocketOptions.defaults(), new LocalPubSub(), new dev.cinder.telemetry.Telemetry());
  }

  private static Map<String, String> query(String... keyValues) {
    Map<String, String> query = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      query.put(keyValues[i], keyValues[i + 1]);
    }
    return query;
  }

  @Test
  void picksTheSerializerByVsn() {
    SocketMount mount = mount(p -> Connect.ok());
    assertThat(mount.connect(query("vsn", "2.0.0"), SocketHarness.INFO).orElseThrow().serializer())
        .isSameAs(V2JsonSerializer.INSTANCE);
    assertThat(mount.connect(query("vsn", "1.0.0"), SocketHarness.INFO).orElseThrow().serializer())
        .isSameAs(V1JsonSerializer.INSTANCE);
    assertThat(mount.connect(query(), SocketHarness.INFO).orElseThrow().serializer())
        .isSameAs(V1JsonSerializer.INSTANCE);
  }

  @Test
  void refusesAnUnsupportedVsnWithoutAskingTheHandler() {
    SocketMount mount = mount(p -> {
      throw new AssertionError("connect must not run");
    });
    assertThat(mount.connect(query("vsn", "3.0.0"), SocketHarness.INFO)).isEmpty();
    assertThat(mount.connect(query("vsn", "2.0"), SocketHarness.INFO)).isEmpty();
  }

  @Test
  void passesTheParamsIncludingVsnAndKeepsTheAssignsAndId() {
    SocketMount mount = mount(p -> Connect.ok(Map.of("user_id", p.get("token"), "vsn", p.get("vsn"))));
    SocketMount.Accepted accepted = mount.connect(query("vsn", "2.0.0", "token", "7"), SocketHarness.INFO).orElseThrow();
    assertThat(accepted.assigns().asMap()).isEqualTo(Map.of("user_id", "7", "vsn", "2.0.0"));
    assertThat(accepted.id()).isEqualTo("user_socket:7");
  }

  @Test
  void aRefusalANullResultOrAnExceptionRefuses() {
    assertThat(mount(p -> Connect.refuse()).connect(query("vsn", "2.0.0"), SocketHarness.INFO)).isEmpty();
    assertThat(mount(p -> null).connect(query("vsn", "2.0.0"), SocketHarness.INFO)).isEmpty();
    assertThat(mount(p -> {
      throw new IllegalStateException("database down");
    }).connect(query("vsn", "2.0.0"), SocketHarness.INFO)).isEmpty();
  }
}
