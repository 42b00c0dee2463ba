package dev.cinder.internal.socket;

import static dev.cinder.internal.socket.SocketHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.internal.socket.SocketHarness.Client;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a channel sees through its ChannelContext: topic, socket id, its own assigns, delayed messages. */
class SocketSessionContextTest {
  private static final String JOINED = "['1','1','room:1','phx_reply',{'status':'ok','response':{}}]";

  private final SocketHarness harness = new SocketHarness().socketId("user_socket:42");
  private final Client client = harness.connect();

  @Test
  void eachChannelGetsItsOwnCopyOfTheSocketAssigns() {
    client.join("room:1", "1");
    client.join("room:2", "2");
    client.send("['1','3','room:1','context',{'mark':'one'}]");
    client.expectFrames(JOINED,
        "['2','2','room:2','phx_reply',{'status':'ok','response':{}}]",
        "['1','3','room:1','phx_reply',{'status':'ok','response':"
            + "{'topic':'room:1','socket_id':'user_socket:42','assigns':{'mark':'one','user_id':42}}}]");

    client.send("['2','4','room:2','context',{}]");
    eventually().until(() -> client.frames().size() == 4);
    assertThat(client.frames().getLast()).isEqualTo(SocketHarness.json("['2','4','room:2','phx_reply',{'status':'ok',"
        + "'response':{'topic':'room:2','socket_id':'user_socket:42','assigns':{'user_id':42}}}]"));
  }

  @Test
  void aJoinAfterAnotherChannelChangedItsAssignsStartsFromTheSocketAssigns() {
    client.join("room:1", "1");
    client.send("['1','2','room:1','context',{'mark':'one'}]");
    eventually().until(() -> client.frames().size() == 2);
    client.join("room:2", "3");
    client.send("['3','4','room:2','context',{}]");
    eventually().until(() -> client.frames().size() == 4);
    assertThat(client.frames().getLast()).contains("\"assigns\":{\"user_id\":42}");
  }

  @Test
  void sendAfterDeliversToHandleInfoLater() {
    client.join("room:1", "1");
    client.send("['1','2','room:1','remind',{'ms':20}]");
    client.expectFrames(JOINED,
        "['1','2','room:1','phx_reply',{'status':'ok','response':{}}]",
        "['1',null,'room:1','welcome',{'hello':'you'}]");
  }

  @Test
  void sendAfterIsDroppedWhenTheChannelEndedMeanwhile() {
    client.join("room:1", "1");
    client.send("['1','2','room:1','remind',{'ms':50}]");
    client.send("['1','3','room:1','phx_leave',{}]");
    client.expectFrames(JOINED,
        "['1','2','room:1','phx_reply',{'status':'ok','response':{}}]",
        "['1','3','room:1','phx_reply',{'status':'ok','response':{}}]",
        "['1','1','room:1','phx_close',{}]");
    // Well past the 50 ms timer: nothing may reach handleInfo or the client.
    eventually().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1))
        .until(() -> client.frames().size() == 4 && harness.probe.log.stream().noneMatch(e -> e.startsWith("info")));
  }
}
