package dev.cinder.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a soak client accepts and what it counts as a protocol problem, frame by frame (no server needed). */
class SoakFramesTest {
  private final SoakFleet fleet = new SoakFleet(new InetSocketAddress("127.0.0.1", 9), List.of("127.0.0.1"), false, 0, 10, 20, 1, 1);
  private final SoakClient client = new SoakClient(fleet, "u1", null, new Random(1), null);

  @AfterEach
  void close() {
    fleet.close();
  }

  @Test
  void theWholeJoinSequenceAndChatPassWithoutProblems() {
    SoakRoom room = joining("room:a", "1");
    receive("[\"1\",\"1\",\"room:a\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
    receive("[\"1\",null,\"room:a\",\"message_history\",{\"messages\":[]}]");
    receive("[null,null,\"room:a\",\"presence_diff\",{\"joins\":{\"u1\":{\"metas\":[{\"phx_ref\":\"r1\"}]}},\"leaves\":{}}]");
    receive("[\"1\",null,\"room:a\",\"presence_state\",{\"u2\":{\"metas\":[{\"phx_ref\":\"r2\"}]}}]");
    receive("[\"1\",null,\"room:a\",\"user_joined\",{\"user_id\":\"u2\",\"relationship\":\"none\"}]");
    receive("[\"1\",null,\"room:a\",\"user_joined\",{\"user_id\":\"u1\",\"relationship\":\"self\"}]");
    room.ownPending.put("hi", System.nanoTime());
    receive("[\"1\",null,\"room:a\",\"new_msg\",{\"id\":7,\"body\":\"hi\",\"user_id\":\"u1\",\"inserted_at\":\"2026-01-01T00:00:00Z\",\"is_own_message\":true}]");
    receive("[null,null,\"room:a\",\"user_typing\",{\"user_id\":\"u2\",\"typing\":true}]");
    receive("[\"1\",null,\"room:a\",\"error\",{\"reason\":\"rate_limited\",\"message\":\"Too many messages. Please slow down.\"}]");

    assertThat(problems()).isEmpty();
    assertThat(room.live()).isTrue();
    assertThat(room.view.keys()).containsExactlyInAnyOrder("u1", "u2");
    assertThat(room.ownPending).isEmpty();
    assertThat(counts()).containsEntry("rate_limited (expected)", 1L).containsEntry("own new_msg received back", 1L);
  }

  @Test
  void leavingEndsWithPhxCloseAndALateBroadcastIsANoticeOnly() {
    SoakRoom room = live("room:a", "1");
    room.leaving = true;
    client.pending.put("5", new SoakClient.Pending("phx_leave", "room:a", "1", System.nanoTime(), null));
    receive("[\"1\",\"5\",\"room:a\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
    receive("[\"1\",\"1\",\"room:a\",\"phx_close\",{}]");
    receive("[null,null,\"room:a\",\"presence_diff\",{\"joins\":{},\"leaves\":{}}]");

    assertThat(client.rooms).isEmpty();
    assertThat(problems()).isEmpty();
    assertThat(counts()).containsEntry("notice: broadcast after phx_close (presence_diff)", 1L);
  }

  @Test
  void whatACorrectServerNeverSendsIsCountedByKind() {
    live("room:a", "1");
    receive("not a frame");
    receive("[\"1\",\"99\",\"room:a\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
    receive("[null,null,\"room:a\",\"user_typing\",{\"user_id\":\"u1\",\"typing\":true}]");
    receive("[\"1\",null,\"room:a\",\"new_msg\",{\"id\":1,\"body\":\"x\",\"user_id\":\"u2\",\"inserted_at\":\"t\",\"is_own_message\":true}]");
    receive("[\"1\",null,\"room:a\",\"error\",{\"reason\":\"overloaded\"}]");
    receive("[null,null,\"room:b\",\"presence_diff\",{\"joins\":{},\"leaves\":{}}]");
    receive("[\"9\",null,\"room:a\",\"new_msg\",{}]");
    receive("[\"1\",\"1\",\"room:a\",\"phx_error\",{}]");

    assertThat(problems()).containsOnlyKeys("malformed frame", "reply to no push of ours", "user_typing to its sender, or without typing",
        "new_msg with missing or wrong fields", "error push: overloaded", "broadcast on a topic not joined",
        "push with another join_ref", "phx_error (the channel crashed)");
  }

  @Test
  void anErrorReplyOtherThanRateLimitedIsAProblem() {
    live("room:a", "1");
    client.pending.put("3", new SoakClient.Pending("update_status", "room:a", "1", System.nanoTime(), null));
    client.pending.put("4", new SoakClient.Pending("new_msg", "room:a", "1", System.nanoTime(), null));
    receive("[\"1\",\"3\",\"room:a\",\"phx_reply\",{\"status\":\"error\",\"response\":{\"reason\":\"overloaded\"}}]");
    receive("[\"1\",\"4\",\"room:a\",\"phx_reply\",{\"status\":\"error\",\"response\":{\"reason\":\"rate_limited\"}}]");

    assertThat(problems()).containsOnlyKeys("error reply to update_status: overloaded");
    assertThat(counts()).containsEntry("rate_limited (expected)", 1L);
  }

  private SoakRoom joining(String topic, String joinRef) {
    SoakRoom room = new SoakRoom(topic, joinRef, System.nanoTime());
    client.rooms.put(topic, room);
    client.pending.put(joinRef, new SoakClient.Pending("phx_join", topic, joinRef, System.nanoTime(), null));
    return room;
  }

  private SoakRoom live(String topic, String joinRef) {
    SoakRoom room = new SoakRoom(topic, joinRef, System.nanoTime());
    room.stage = SoakRoom.Stage.LIVE;
    room.selfJoined = true;
    client.rooms.put(topic, room);
    return room;
  }

  private void receive(String frame) {
    SoakFrames.handle(client, frame.getBytes(StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Long> problems() {
    return (Map<String, Long>) fleet.stats().report().get("problems");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Long> counts() {
    return (Map<String, Long>) fleet.stats().report().get("counts");
  }
}
