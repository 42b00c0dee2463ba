package dev.cinder.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The generator's hand parser must accept exactly the frames Phoenix sends and refuse what it cannot read. */
class ServerFrameTest {
  private static ServerFrame parse(String text) {
    return ServerFrame.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code text} at the start of {@code buffer}, as a transport reusing it would; returns its length. */
  private static int put(byte[] buffer, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, buffer, 0, bytes.length);
    return bytes.length;
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
  void readsOnlyTheGivenLengthOfAReusedArray() {
    byte[] buffer = new byte[256];
    int first = put(buffer, "[\"3\",null,\"room:1\",\"presence_state\",{\"u1\":{\"metas\":[{\"phx_ref\":\"F1\"}]}}]");
    ServerFrame state = ServerFrame.parse(buffer, first);
    assertThat(state.event()).isEqualTo("presence_state");
    String kept = state.payload(); // a copy: it outlives the array's next frame
    // A shorter frame over the longer one: the bytes past its length are the old frame's tail, and must not count.
    int second = put(buffer, "[null,null,\"bench:fanout\",\"fan3\",{\"seq\":12,\"t\":17} ]");
    assertThat(second).isLessThan(first);
    ServerFrame f = ServerFrame.parse(buffer, second);
    assertThat(f.joinRef()).isNull();
    assertThat(f.ref()).isNull();
    assertThat(f.topic()).isEqualTo("bench:fanout");
    assertThat(f.event()).isEqualTo("fan3");
    assertThat(f.payload()).isEqualTo("{\"seq\":12,\"t\":17}");
    assertThat(f.payloadBytes()).isEqualTo(17);
    assertThat(f.longField("seq")).isEqualTo(12);
    assertThat(f.longField("t")).isEqualTo(17);
    assertThat(f.longField("phx_ref")).isEqualTo(-1); // only in the old tail
    assertThat(kept).isEqualTo("{\"u1\":{\"metas\":[{\"phx_ref\":\"F1\"}]}}");
    // Cut before its closing bracket, a frame is refused even though the array holds one further on.
    assertThat(ServerFrame.parse(buffer, second - 1)).isNull();
    assertThat(ServerFrame.parse(buffer, 0)).isNull();
  }

  @Test
  void readsIntegerFieldsFromTheBytes() {
    ServerFrame f = parse("[null,null,\"a\",\"e\",{\"x\":{\"seq\":\"7\"},\"seq\":3,\"tt\":5,\"t\":-4,\"n\":42}]");
    assertThat(f.longField("seq")).isEqualTo(-1); // the first "seq": holds a string, not digits
    assertThat(f.longField("t")).isEqualTo(-1); // "tt" is another key; "t" holds no digits
    assertThat(f.longField("tt")).isEqualTo(5);
    assertThat(f.longField("n")).isEqualTo(42); // ends at the payload's closing brace
    assertThat(parse("[null,null,\"a\",\"e\",{\"n\":}]").longField("n")).isEqualTo(-1);
    assertThat(parse("[null,null,\"a\",\"e\",{\"é\":1,\"n\":9}]").longField("n")).isEqualTo(9);
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
