package dev.cinder.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.internal.channel.Connection;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.telemetry.Telemetry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A client that received its join "ok" misses no later broadcast: the channel subscribed before replying. */
class JoinSubscriptionOrderTest {
  @Test
  void theChannelIsSubscribedWhenTheJoinReplyIsSent() {
    LocalPubSub pubSub = new LocalPubSub();
    List<Integer> subscribersWhenReplied = new CopyOnWriteArrayList<>();
    SocketHandler handler = new SocketHandler() {
      @Override
      public void routes(Routes routes) {
        routes.channel("room:*", () -> new Channel() {
          @Override
          public Join join(String topic, Payload params, ChannelContext ctx) {
            return Join.ok();
          }
        });
      }

      @Override
      public Connect connect(Params params, ConnectInfo info) {
        return Connect.ok();
      }
    };
    Connection connection = new Connection() {
      @Override
      public void send(Frame frame) {
        if (frame.text().contains("phx_reply")) {
          subscribersWhenReplied.add(pubSub.subscriberCount("room:1"));
        }
      }

      @Override
      public String transport() {
        return "test";
      }

      @Override
      public void close(int code, String reason) {}
    };
    SocketMount mount = new SocketMount("/socket", handler, SocketOptions.defaults(), pubSub, new Telemetry());
    SocketSession session = mount.connect(Map.of("vsn", "2.0.0"), SocketHarness.INFO).orElseThrow().open(connection);
    session.receive(Frame.text("[\"1\",\"1\",\"room:1\",\"phx_join\",{}]"));
    SocketHarness.eventually().until(() -> !subscribersWhenReplied.isEmpty());
    assertThat(subscribersWhenReplied).containsExactly(1);
  }
}
