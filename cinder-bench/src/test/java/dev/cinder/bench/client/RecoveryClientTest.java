package dev.cinder.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.bench.wire.Position;
import dev.cinder.bench.wire.ServerFrame;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A recovering client keeps the last position it was given, which it rejoins with; the tallies accept positioned
 * broadcasts and the recovery tally holds every missed one to once, in order, at the next offset.
 */
class RecoveryClientTest {
  @Test
  void aRecoveringClientKeepsTheLastPositionItWasGiven() throws Exception {
    try (Fleet fleet = new Fleet(new InetSocketAddress("127.0.0.1", 1), List.of("127.0.0.2"), "a-test-secret-key-base-of-enough-bytes", "u", 1, false)) {
      PhxClient client = ClientPartsTest.client(fleet, 0, new String[1]);
      fleet.traffic(new FanoutTally("fan0", 2));
      text(client, "[\"1\",\"1\",\"room:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"recovery\":"
          + "{\"recovered\":false,\"position\":\"ep:7\",\"reason\":\"no_position\"}}}]");
      assertThat(client.awaitJoin(1)).isTrue();
      assertThat(client.drop().get()).containsExactly("ep:7"); // the reply's position, before any broadcast
      text(client, "[null,\"ep:8\",\"room:1\",\"fan0\",{\"seq\":0,\"t\":1}]");
      assertThat(client.drop().get()).containsExactly("ep:8");
      assertThat(fleet.takeRecoveryOutcomes()).isEqualTo(Map.of("not recovered: no_position", 1L));
      assertThat(fleet.counters.badFrames.sum()).isZero();
    }
  }

  @Test
  void aClientThatDoesNotRecoverKeepsNoPosition() throws Exception {
    PhxClient client = ClientPartsTest.client(null, 0, null);
    assertThat(client.drop().get()).isNull();
  }

  @Test
  void theFanoutTallyCountsPositionedBroadcastsAndRefusesNumericRefs() {
    FanoutTally tally = new FanoutTally("fan0", 3);
    PhxClient client = ClientPartsTest.client(null, 0, null);
    assertThat(tally.onFrame(client, frame("[null,\"ep:1\",\"room:1\",\"fan0\",{\"seq\":0,\"t\":1}]"), 5)).isTrue();
    assertThat(tally.onFrame(client, frame("[null,null,\"room:1\",\"fan0\",{\"seq\":1,\"t\":1}]"), 5)).isTrue();
    assertThat(tally.onFrame(client, frame("[null,\"7\",\"room:1\",\"fan0\",{\"seq\":2,\"t\":1}]"), 5)).isFalse();
    assertThat(tally.report(3, 1)).containsEntry("received", 2L).containsEntry("positioned", 1L);
  }

  @Test
  void theRecoveryTallyWantsEveryMissedBroadcastOnceInOrderAtTheNextOffset() {
    RecoveryTally tally = new RecoveryTally("missed", 3, 1_000,
        Map.of(0, new Position("ep", 10), 1, new Position("ep", 10), 2, new Position("ep", 10), 3, new Position("ep", 10)));
    PhxClient good = ClientPartsTest.client(null, 0, null);
    PhxClient twice = ClientPartsTest.client(null, 1, null);
    PhxClient skipped = ClientPartsTest.client(null, 2, null);
    PhxClient otherEpoch = ClientPartsTest.client(null, 3, null);
    for (int seq = 0; seq < 3; seq++) {
      assertThat(tally.onFrame(good, missed("ep:" + (11 + seq), seq), 1_000 + 500 * (seq + 1))).isTrue();
    }
    tally.onFrame(twice, missed("ep:11", 0), 2_000);
    tally.onFrame(twice, missed("ep:11", 0), 2_000);
    tally.onFrame(skipped, missed("ep:11", 0), 2_000);
    tally.onFrame(skipped, missed("ep:13", 2), 9_000);
    tally.onFrame(otherEpoch, missed("other:11", 0), 2_000);
    Map<String, Object> report = tally.report();
    assertThat(report).containsEntry("complete", 1L).containsEntry("received", 7L).containsEntry("duplicates", 1L)
        .containsEntry("outOfOrder", 1L).containsEntry("offsetGaps", 1L).containsEntry("otherEpoch", 1L)
        .containsEntry("millisToAllComplete", 1L); // only the first client has all three, 1.5 ms after the start
  }

  private static ServerFrame missed(String position, int seq) {
    return frame("[null,\"" + position + "\",\"room:1\",\"missed\",{\"seq\":" + seq + ",\"t\":1}]");
  }

  private static ServerFrame frame(String text) {
    return ServerFrame.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void text(PhxClient client, String frame) {
    byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
    client.onText(bytes, bytes.length, 0);
  }
}
