package dev.cinder.test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BroadcastTest {
  @RegisterExtension
  final ChannelTest channels = ChannelTest.forSocket(new SampleSocket(null));

  @Test
  void aBroadcastReachesThePubSubTopicAndEverySubscriber() {
    TestChannel alice = channels.socket(Map.of("user_id", "alice")).join("room:lobby");
    TestChannel bob = channels.socket(Map.of("user_id", "bob")).join("room:lobby");

    alice.push("shout", Map.of("body", "hi")).assertOk();

    channels.assertBroadcast("room:lobby", "shout", Map.of("from", "alice", "body", "hi"));
    alice.assertPush("shout", Map.of("from", "alice", "body", "hi"));
    bob.assertPush("shout", Map.of("from", "alice", "body", "hi"));
  }

  @Test
  void anInterceptedBroadcastIsShapedByHandleOutForEachRecipient() {
    TestChannel alice = channels.socket(Map.of("user_id", "alice")).join("room:lobby");
    TestChannel bob = channels.socket(Map.of("user_id", "bob")).join("room:lobby");

    alice.push("say", Map.of("body", "hello"));

    alice.assertPush("said", Map.of("from", "alice", "body", "hello", "mine", true));
    bob.assertPush("said", Map.of("from", "alice", "body", "hello", "mine", false));
    channels.assertBroadcast("room:lobby", "said", Map.of("from", "alice", "body", "hello"));
  }

  @Test
  void serverBroadcastsArriveAndRefutationsUseFences() {
    TestChannel bob = channels.socket(Map.of("user_id", "bob")).join("room:lobby");

    channels.broadcast("room:lobby", "news", Map.of("headline", "cinder"));

    bob.assertPush("news", Map.of("headline", "cinder"));
    channels.assertBroadcast("room:lobby", "news");
    channels.refuteBroadcast("room:lobby", "news");
    bob.refutePush("news");
  }

  @Test
  void aMissingBroadcastOrPushSaysWhatDidArrive() {
    channels.await(Duration.ofMillis(200)); // the expected failure comes after this bound: keep it short
    TestChannel bob = channels.socket(Map.of("user_id", "bob")).join("room:lobby");
    channels.broadcast("room:lobby", "news", Map.of("headline", "cinder"));

    assertThatThrownBy(() -> channels.assertBroadcast("room:lobby", "gossip"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("\"news\" {\"headline\":\"cinder\"}");
    assertThatThrownBy(() -> bob.assertPush("gossip"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("\"news\" on room:lobby {\"headline\":\"cinder\"}");
    assertThatThrownBy(() -> bob.refutePush("news"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("expected no push \"news\"");
  }

  @Test
  void broadcastsOfATopicNeverJoinedNeedASubscription() {
    assertThatThrownBy(() -> channels.assertBroadcast("elsewhere", "x"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("subscribe(\"elsewhere\")");
    channels.subscribe("elsewhere");
    channels.broadcast("elsewhere", "x", Map.of());
    channels.assertBroadcast("elsewhere", "x", Map.of());
  }
}
