package dev.cinder.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The generator's hand parser must accept exactly the frames Phoenix sends and refuse what it cannot read. */
class ServerFrameTest {
  private static ServerFrame parse(String text) {
    return ServerFrame.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void splitsAFastlaneBroadcast() {
    ServerFrame f = parse("[null,null,\"bench:fanout\",\"fan3\",{\"seq\":12,\"t\":1700000000123456}]");
    assertThat(f.joinRef()).isNull();
    assertThat(f.ref()).isNull();
    assertThat(f.topic()).isEqualTo("bench:fanout");
    assertThat(f.event()).isEqualTo("fan3");
    assertThat(f.longField("seq")).isEqualTo(12);
    assertThat(f.longField("t")).isEqualTo(1700000000123456L);
    assertThat(f.longField("missing")).isEqualTo(-1);
  }

  @Test
  void keepsThePayloadsExactTextAndItsLengthInBytes() {
    ServerFrame f = parse("[\"3\",null,\"room:1\",\"presence_diff\", {\"joins\":{\"é\":{}},\"leaves\":{}} \n]");
    assertThat(f.payload()).isEqualTo("{\"joins\":{\"é\":{}},\"leaves\":{}}");
    assertThat(f.payloadBytes()).isEqualTo(f.payload().getBytes(StandardCharsets.UTF_8).length).isEqualTo(31);
  }

  @Test
  void readsRepliesAndTheirStatus() {
    ServerFrame ok = parse("[\"1\",\"1\",\"bench:x\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
    assertThat(ok.joinRef()).isEqualTo("1");
    assertThat(ClientFrames.isOkReply(ok)).isTrue();
    ServerFrame refused = parse("[null,\"1\",\"nope\",\"phx_reply\",{\"response\":{\"reason\":\"unmatched topic\"},\"status\":\"error\"}]");
    assertThat(ClientFrames.errorReason(refused)).isEqualTo("unmatched topic");
  }

  @Test
  void refusesWhatItCannotRead() {
    assertThat(parse("{\"topic\":\"x\"}")).isNull();
    assertThat(parse("[null,null,\"a\"]")).isNull();
    assertThat(parse("[null,null,\"a\\\"b\",\"e\",{}]")).isNull();
    assertThat(parse("[1,null,\"a\",\"e\",{}]")).isNull();
  }

  @Test
  void clientFramesHaveTheNpmClientShape() {
    assertThat(ClientFrames.join("1", "bench:x")).isEqualTo("[\"1\",\"1\",\"bench:x\",\"phx_join\",{}]");
    assertThat(ClientFrames.heartbeat("h0")).isEqualTo("[null,\"h0\",\"phoenix\",\"heartbeat\",{}]");
  }
}
