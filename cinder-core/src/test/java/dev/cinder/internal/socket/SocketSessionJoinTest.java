package dev.cinder.internal.socket;

import static dev.cinder.internal.socket.SocketHarness.eventually;
import static dev.cinder.internal.socket.SocketHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.SocketOptions;
import dev.cinder.internal.socket.SocketHarness.Client;
import org.junit.jupiter.api.Test;

/** Heartbeats, routing and the join outcomes (ok, error, crash, duplicate, too many), frame by frame. */
class SocketSessionJoinTest {
  private final SocketHarness harness = new SocketHarness();
  private final Client client = harness.connect();

  @Test
  void answersAHeartbeatWithNullJoinRefAndTheSameRef() {
    client.send("[null,'5','phoenix','heartbeat',{}]");
    client.expectFrames("[null,'5','phoenix','phx_reply',{'status':'ok','response':{}}]");
  }

  @Test
  void answersAHeartbeatWhateverJoinRefItCarries() {
    client.send("['9','6','phoenix','heartbeat',{}]");
    client.expectFrames("[null,'6','phoenix','phx_reply',{'status':'ok','response':{}}]");
  }

  @Test
  void joinOk() {
    client.send("['3','3','room:1','phx_join',{}]");
    client.expectFrames("['3','3','room:1','phx_reply',{'status':'ok','response':{}}]");
    assertThat(harness.probe.log).containsExactly("join #1 room:1");
    assertThat(harness.pubSub.subscriberCount("room:1")).isEqualTo(1);
  }

  @Test
  void aChannelThatStopsRightAfterItsJoinIsForgottenAndCanBeJoinedAgain() {
    client.send("['3','3','room:1','phx_join',{'mode':'stop'}]");
    client.expectFrames("['3','3','room:1','phx_reply',{'status':'ok','response':{}}]", "['3','3','room:1','phx_close',{}]");
    assertThat(client.session.channelCount()).isZero(); // forgotten before its phx_close went out
    client.send("['4','4','room:1','phx_join',{}]");
    client.send("['4','5','room:1','echo',{}]");
    client.expectFrames("['3','3','room:1','phx_reply',{'status':'ok','response':{}}]", "['3','3','room:1','phx_close',{}]",
        "['4','4','room:1','phx_reply',{'status':'ok','response':{}}]",
        "['4','5','room:1','phx_reply',{'status':'ok','response':{}}]");
    assertThat(client.session.channelCount()).isEqualTo(1);
  }

  @Test
  void joinOkWithAResponse() {
    client.send("['3','4','room:1','phx_join',{'mode':'reply'}]");
    client.expectFrames("['3','4','room:1','phx_reply',{'status':'ok','response':{'welcome':'yes'}}]");
  }

  @Test
  void joinErrorRepliesErrorAndRegistersNothing() {
    client.send("['3','3','room:1','phx_join',{'mode':'error'}]");
    client.send("['3','4','room:1','echo',{}]");
    client.expectFrames(
        "['3','3','room:1','phx_reply',{'status':'error','response':{'reason':'unauthorized'}}]",
        "[null,'4','room:1','phx_reply',{'status':'error','response':{'reason':'unmatched topic'}}]");
    assertThat(harness.pubSub.subscriberCount("room:1")).isZero();
  }

  @Test
  void aJoinThatThrowsIsAJoinCrash() {
    client.send("['3','3','room:1','phx_join',{'mode':'throw'}]");
    client.expectFrames("['3','3','room:1','phx_reply',{'status':'error','response':{'reason':'join crashed'}}]");
    assertThat(client.session.channelCount()).isZero();
  }

  @Test
  void aJoinThatThrowsAnErrorIsAJoinCrashToo() {
    client.send("['3','3','room:1','phx_join',{'mode':'throw_error'}]");
    client.expectFrames("['3','3','room:1','phx_reply',{'status':'error','response':{'reason':'join crashed'}}]");
  }

  @Test
  void aChannelWhoseConstructorThrowsIsAJoinCrash() {
    client.send("['3','3','broken:1','phx_join',{}]");
    client.expectFrames("['3','3','broken:1','phx_reply',{'status':'error','response':{'reason':'join crashed'}}]");
    assertThat(client.framesAfterSync()).hasSize(1);
  }

  @Test
  void pushingInsideJoinIsAJoinCrash() {
    client.send("['3','3','room:1','phx_join',{'mode':'push'}]");
    client.expectFrames("['3','3','room:1','phx_reply',{'status':'error','response':{'reason':'join crashed'}}]");
  }

  @Test
  void joinOfAnUnroutedTopicIsUnmatchedWithNullJoinRef() {
    client.send("['3','3','nope','phx_join',{}]");
    client.expectFrames("[null,'3','nope','phx_reply',{'status':'error','response':{'reason':'unmatched topic'}}]");
    assertThat(harness.probe.instances).hasValue(0);
  }

  @Test
  void aMessageToATopicNotJoinedIsUnmatched() {
    client.send("['3','7','room:9','new_msg',{}]");
    client.expectFrames("[null,'7','room:9','phx_reply',{'status':'error','response':{'reason':'unmatched topic'}}]");
  }

  @Test
  void aMessageSentToItselfInJoinPushesAfterTheJoinReply() {
    client.send("['3','3','room:1','phx_join',{'mode':'send'}]");
    client.expectFrames(
        "['3','3','room:1','phx_reply',{'status':'ok','response':{}}]",
        "['3',null,'room:1','welcome',{'hello':'you'}]");
    assertThat(harness.probe.log).containsExactly("join #1 room:1", "info #1 after_join");
  }

  @Test
  void duplicateJoinRepliesToTheNewJoinThenClosesTheOldOne() {
    client.join("room:1", "1");
    client.send("['5','5','room:1','phx_join',{}]");
    client.expectFrames(
        "['1','1','room:1','phx_reply',{'status':'ok','response':{}}]",
        "['5','5','room:1','phx_reply',{'status':'ok','response':{}}]",
        "['1','1','room:1','phx_close',{}]");
    // The old channel has ended before the new one joined.
    assertThat(harness.probe.log).containsExactly("join #1 room:1", "terminate #1 DUPLICATE_JOIN", "join #2 room:1");
    assertThat(harness.pubSub.subscriberCount("room:1")).isEqualTo(1);
    assertThat(client.session.channelCount()).isEqualTo(1);
  }

  @Test
  void afterADuplicateJoinOnlyTheNewJoinRefIsHeard() {
    client.join("room:1", "1");
    client.join("room:1", "5");
    client.send("['1','6','room:1','echo',{'n':1}]");
    client.send("['5','7','room:1','echo',{'n':2}]");
    eventually().until(() -> client.frames().size() == 4);
    assertThat(client.frames().getLast()).isEqualTo(json("['5','7','room:1','phx_reply',{'status':'ok','response':{'n':2}}]"));
    assertThat(harness.probe.log).containsOnlyOnce("in #2 echo").doesNotContain("in #1 echo");
  }

  @Test
  void refusesJoinsBeyondMaxChannels() {
    Client limited = new SocketHarness().options(SocketOptions.defaults().maxChannels(2)).connect();
    limited.join("room:1", "1");
    limited.join("room:2", "2");
    limited.send("['3','3','room:3','phx_join',{}]");
    eventually().until(() -> limited.frames().size() == 3);
    assertThat(limited.frames().getLast())
        .isEqualTo(json("['3','3','room:3','phx_reply',{'status':'error','response':{'reason':'too many channels joined'}}]"));
    assertThat(limited.session.channelCount()).isEqualTo(2);
  }

  @Test
  void aDuplicateJoinAtTheChannelLimitReplacesInsteadOfRefusing() {
    Client limited = new SocketHarness().options(SocketOptions.defaults().maxChannels(1)).connect();
    limited.join("room:1", "1");
    limited.join("room:1", "2");
    assertThat(limited.session.channelCount()).isEqualTo(1);
  }
}
