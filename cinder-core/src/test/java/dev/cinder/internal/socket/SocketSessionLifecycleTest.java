package dev.cinder.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.ChannelContext;
import dev.cinder.Reply;
import dev.cinder.ReplyRef;
import dev.cinder.internal.socket.SocketHarness.Client;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messages to a joined channel, replies, stop, crash and leave. */
class SocketSessionLifecycleTest {
  private static final String JOINED = "['1','1','room:1','phx_reply',{'status':'ok','response':{}}]";
  private static final String UNMATCHED_8 =
      "[null,'8','room:1','phx_reply',{'status':'error','response':{'reason':'unmatched topic'}}]";

  private final SocketHarness harness = new SocketHarness();
  private final Client client = harness.connect();

  @BeforeEach
  void joinRoom() {
    client.join("room:1", "1");
  }

  @Test
  void aReplyFromHandleInCarriesTheJoinRefAndTheMessageRef() {
    client.send("['1','2','room:1','echo',{'body':'hi'}]");
    client.expectFrames(JOINED, "['1','2','room:1','phx_reply',{'status':'ok','response':{'body':'hi'}}]");
  }

  @Test
  void anUnknownEventGetsTheDefaultErrorReply() {
    client.send("['1','2','room:1','what',{}]");
    client.expectFrames(JOINED, "['1','2','room:1','phx_reply',{'status':'error','response':{'reason':'unknown_event'}}]");
  }

  @Test
  void aMessageWithANullJoinRefReachesTheChannel() {
    client.send("[null,'2','room:1','echo',{}]");
    client.expectFrames(JOINED, "['1','2','room:1','phx_reply',{'status':'ok','response':{}}]");
  }

  @Test
  void aReplyCanBeSentLaterFromAnotherThread() {
    client.send("['1','2','room:1','later',{}]");
    client.send("['1','3','room:1','echo',{}]");
    client.expectFrames(JOINED, "['1','3','room:1','phx_reply',{'status':'ok','response':{}}]");

    ReplyRef saved = harness.probe.savedRefs.getFirst();
    assertThat(saved).isEqualTo(new ReplyRef("room:1", "1", "2"));
    ChannelContext ctx = harness.probe.context(1);
    Thread.ofVirtual().start(() -> ctx.reply(saved, Reply.ok(Map.of("late", true))));

    client.expectFrames(JOINED,
        "['1','3','room:1','phx_reply',{'status':'ok','response':{}}]",
        "['1','2','room:1','phx_reply',{'status':'ok','response':{'late':true}}]");
  }

  @Test
  void stopFromAnotherThreadClosesTheChannelToo() {
    client.send("['1','2','room:1','stop_elsewhere',{}]");
    client.expectFrames(JOINED,
        "['1','2','room:1','phx_reply',{'status':'ok','response':{'offloaded':true}}]",
        "['1','1','room:1','phx_close',{}]");
    assertThat(harness.probe.log).endsWith("terminate #1 STOPPED");
  }

  @Test
  void stopRepliesThenClosesWithTheJoinRefAsRef() {
    client.send("['1','2','room:1','stop',{}]");
    client.expectFrames(JOINED,
        "['1','2','room:1','phx_reply',{'status':'ok','response':{'bye':true}}]",
        "['1','1','room:1','phx_close',{}]");
    assertThat(harness.probe.log).endsWith("terminate #1 STOPPED");
    assertThat(harness.pubSub.subscriberCount("room:1")).isZero();

    client.send("['1','8','room:1','echo',{}]");
    client.expectFrames(JOINED,
        "['1','2','room:1','phx_reply',{'status':'ok','response':{'bye':true}}]",
        "['1','1','room:1','phx_close',{}]", UNMATCHED_8);
  }

  @Test
  void anExceptionSendsPhxErrorAndTheTopicIsForgotten() {
    client.send("['1','2','room:1','boom',{}]");
    client.expectFrames(JOINED, "['1','1','room:1','phx_error',{'reason':'channel_crash'}]");
    assertThat(harness.probe.log).endsWith("in #1 boom", "terminate #1 CRASHED");
    assertThat(harness.pubSub.subscriberCount("room:1")).isZero();

    client.send("['1','8','room:1','echo',{}]");
    client.expectFrames(JOINED, "['1','1','room:1','phx_error',{'reason':'channel_crash'}]", UNMATCHED_8);
  }

  @Test
  void anUndeclaredCheckedExceptionIsACrashToo() {
    client.send("['1','2','room:1','checked_boom',{}]");
    client.expectFrames(JOINED, "['1','1','room:1','phx_error',{'reason':'channel_crash'}]");
    assertThat(client.session.channelCount()).isZero();
  }

  @Test
  void aCrashStillReportsPhxErrorWhenTerminateThrowsAnError() {
    harness.probe.terminateThrowsError = true;
    client.send("['1','2','room:1','boom',{}]");
    client.expectFrames(JOINED, "['1','1','room:1','phx_error',{'reason':'channel_crash'}]");
  }

  @Test
  void aCrashEndsOnlyThatChannel() {
    client.join("room:2", "2");
    client.send("['1','3','room:1','boom',{}]");
    client.expectFrames(JOINED,
        "['2','2','room:2','phx_reply',{'status':'ok','response':{}}]",
        "['1','1','room:1','phx_error',{'reason':'channel_crash'}]");
    // Asked only now: two channels run on separate mailboxes, with no order between them.
    client.send("['2','4','room:2','echo',{}]");
    client.expectFrames(JOINED,
        "['2','2','room:2','phx_reply',{'status':'ok','response':{}}]",
        "['1','1','room:1','phx_error',{'reason':'channel_crash'}]",
        "['2','4','room:2','phx_reply',{'status':'ok','response':{}}]");
  }

  @Test
  void leaveRepliesOkThenClosesAndTerminates() {
    client.send("['1','2','room:1','phx_leave',{}]");
    client.expectFrames(JOINED,
        "['1','2','room:1','phx_reply',{'status':'ok','response':{}}]",
        "['1','1','room:1','phx_close',{}]");
    assertThat(harness.probe.log).containsExactly("join #1 room:1", "terminate #1 LEFT");
    assertThat(harness.pubSub.subscriberCount("room:1")).isZero();
    assertThat(client.session.channelCount()).isZero();
  }

  @Test
  void leaveOfATopicNotJoinedIsAcknowledgedWithTheLeavesOwnJoinRef() {
    client.send("['7','8','room:9','phx_leave',{}]");
    client.expectFrames(JOINED, "['7','8','room:9','phx_reply',{'status':'ok','response':{}}]");
  }

  @Test
  void messagesWithAStaleJoinRefAreIgnoredSilently() {
    client.send("['0','2','room:1','echo',{}]");
    client.send("['0','3','room:1','phx_leave',{}]");
    // The channel handles messages in order: had the stale ones reached it, their answers would come first.
    client.send("['1','4','room:1','echo',{}]");
    client.expectFrames(JOINED, "['1','4','room:1','phx_reply',{'status':'ok','response':{}}]");
    assertThat(harness.probe.log).containsExactly("join #1 room:1", "in #1 echo");
    assertThat(client.session.channelCount()).isEqualTo(1);
  }
}
