package dev.cinder.internal.socket;

import static dev.cinder.internal.socket.SocketHarness.eventually;
import static dev.cinder.internal.socket.SocketHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Payload;
import dev.cinder.SocketOptions;
import dev.cinder.internal.channel.ChannelProcess;
import dev.cinder.internal.serializer.Message;
import dev.cinder.internal.socket.SocketHarness.Client;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The inbound bounds frame by frame: the per-connection rate and the per-channel queue of pushes. */
class InboundLimitsSessionTest {
  private static final String HEARTBEAT_REPLY = "[null,'h','phoenix','phx_reply',{'status':'ok','response':{}}]";

  @Test
  void aClientOverItsBurstIsClosedWithPolicyViolationOnceAndTheRestIsDropped() {
    // One message per second: the test cannot send the burst and the rest slowly enough for a refill to matter.
    Client client = new SocketHarness().options(SocketOptions.defaults().inboundRate(1).inboundBurst(5)).connect();
    for (int i = 0; i < 20; i++) {
      client.send("[null,'h','phoenix','heartbeat',{}]");
    }
    assertThat(client.connection.closeCodes()).containsExactly(CloseCodes.POLICY_VIOLATION);
    assertThat(client.frames()).hasSizeBetween(5, 6).allMatch(json(HEARTBEAT_REPLY)::equals);
  }

  @Test
  void longPollMessagesCountAgainstTheSameRate() {
    Client client = new SocketHarness().options(SocketOptions.defaults().inboundRate(1).inboundBurst(5)).connect();
    Message heartbeat = new Message(null, "h", "phoenix", "heartbeat", Payload.empty());
    java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < 20; i++) {
      client.session.receive(heartbeat, handled::incrementAndGet);
    }
    eventually().until(() -> handled.get() == 20); // every POSTed message is accounted for, taken or not
    assertThat(client.connection.closeCodes()).containsExactly(CloseCodes.POLICY_VIOLATION);
    assertThat(client.frames()).hasSizeBetween(5, 6);
  }

  @Test
  void pushesPastTheBoundAreAnsweredOverloadedAtOnceAndNeverQueued() throws InterruptedException {
    SocketHarness harness = new SocketHarness().options(SocketOptions.defaults().maxPendingPushes(3));
    Client client = harness.connect();
    client.join("room:1", "1");
    ChannelProcess channel = (ChannelProcess) harness.probe.context(1);

    client.send("['1','10','room:1','hold',{}]");
    assertThat(harness.probe.holding.await(5, TimeUnit.SECONDS)).isTrue();
    for (int ref = 11; ref <= 15; ref++) {
      client.send("['1','" + ref + "','room:1','echo',{'ref':" + ref + "}]");
    }
    // The held push and two more fill the bound; the other three were answered without being queued.
    assertThat(channel.pendingPushes()).isEqualTo(3);
    client.expectFrames(
        "['1','1','room:1','phx_reply',{'status':'ok','response':{}}]",
        "['1','13','room:1','phx_reply',{'status':'error','response':{'reason':'overloaded'}}]",
        "['1','14','room:1','phx_reply',{'status':'error','response':{'reason':'overloaded'}}]",
        "['1','15','room:1','phx_reply',{'status':'error','response':{'reason':'overloaded'}}]");

    harness.probe.release.countDown();
    eventually().until(() -> channel.pendingPushes() == 0);
    assertThat(client.frames()).endsWith(
        json("['1','10','room:1','phx_reply',{'status':'ok','response':{}}]"),
        json("['1','11','room:1','phx_reply',{'status':'ok','response':{'ref':11}}]"),
        json("['1','12','room:1','phx_reply',{'status':'ok','response':{'ref':12}}]"));
    assertThat(harness.probe.log).containsExactly("join #1 room:1", "in #1 hold", "in #1 echo", "in #1 echo");
  }
}
