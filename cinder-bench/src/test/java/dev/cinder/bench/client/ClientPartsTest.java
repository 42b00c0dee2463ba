package dev.cinder.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.bench.wire.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generator's pieces that decide what counts: topic specs, long-poll envelopes, rebuilt presence lists, the
 * presence tally, and the reused array frames are read in.
 */
class ClientPartsTest {
  @Test
  void topicSpecsShardByClientIndex() {
    assertThat(Topics.resolve("bench:hot,bench:s4-{4},bench:s16-{16}", 21)).containsExactly("bench:hot", "bench:s4-1", "bench:s16-5");
    assertThat(Topics.expand("bench:s4-{4}")).containsExactly("bench:s4-0", "bench:s4-1", "bench:s4-2", "bench:s4-3");
    assertThat(Topics.expand("bench:fanout")).containsExactly("bench:fanout");
  }

  @Test
  void longPollGetAnswersCarryTokenAndStringMessages() {
    LongPollBody ok = LongPollBody.parse(json("{\"status\":200,\"token\":\"T\",\"messages\":[\"[null,null,\\\"a\\\",\\\"b\\\",{}]\"]}"), true);
    assertThat(ok).isEqualTo(new LongPollBody(200, "T", List.of("[null,null,\"a\",\"b\",{}]")));
    assertThat(LongPollBody.parse(json("{\"status\":200,\"token\":\"T\",\"messages\":[[null]]}"), true)).isNull();
    assertThat(LongPollBody.parse(json("{\"status\":204,\"messages\":[]}"), true)).isNull(); // no token
    assertThat(LongPollBody.parse(json("{\"status\":200}"), false)).isEqualTo(new LongPollBody(200, null, List.of()));
  }

  @Test
  void presenceViewWaitsForTheStateAndCountsKeysWithMetas() {
    PresenceView view = new PresenceView();
    view.apply("presence_diff", "{\"joins\":{\"c\":{\"metas\":[{\"phx_ref\":\"3\"}]}},\"leaves\":{}}");
    assertThat(view.size()).isEqualTo(-1);
    view.apply("presence_state", "{\"a\":{\"metas\":[{\"phx_ref\":\"1\"}]},\"b\":{\"metas\":[{\"phx_ref\":\"2\"}]}}");
    assertThat(view.size()).isEqualTo(3);
    view.apply("presence_diff", "{\"joins\":{},\"leaves\":{\"a\":{\"metas\":[{\"phx_ref\":\"1\"}]}}}");
    assertThat(view.size()).isEqualTo(2);
  }

  @Test
  void frameBufferReusesOneArrayPerThreadAndGrowsForALargerFrame() {
    ByteBuf small = Unpooled.copiedBuffer("xx[1]", StandardCharsets.UTF_8);
    small.skipBytes(2); // a frame's content need not start at index 0 of its buffer
    byte[] first = FrameBuffer.copy(small);
    assertThat(new String(first, 0, small.readableBytes(), StandardCharsets.UTF_8)).isEqualTo("[1]");
    assertThat(small.readerIndex()).isEqualTo(2); // copied, not consumed
    assertThat(FrameBuffer.copy(Unpooled.copiedBuffer("[2]", StandardCharsets.UTF_8))).isSameAs(first);
    byte[] big = new byte[first.length + 1];
    big[big.length - 1] = 7;
    byte[] grown = FrameBuffer.copy(Unpooled.wrappedBuffer(big));
    assertThat(grown.length).isGreaterThanOrEqualTo(big.length);
    assertThat(grown[big.length - 1]).isEqualTo((byte) 7);
    assertThat(FrameBuffer.copy(small)).isSameAs(grown);
  }

  @Test
  void presenceTallyCountsEachClientOnceFromFramesInAReusedArray() {
    PresenceTally tally = new PresenceTally();
    PhxClient sampled = client(0); // index 0 keeps its presence list
    PhxClient other = client(1);
    byte[] buffer = new byte[512];
    String state = "{\"u0\":{\"metas\":[{\"phx_ref\":\"A\"}]}}";
    String diff = "{\"joins\":{\"u1\":{\"metas\":[{\"phx_ref\":\"B\"}]}},\"leaves\":{}}";
    assertThat(frame(tally, sampled, buffer, "[\"1\",null,\"room:1\",\"presence_state\"," + state + "]")).isTrue();
    assertThat(frame(tally, sampled, buffer, "[null,null,\"room:1\",\"presence_diff\"," + diff + "]")).isTrue();
    assertThat(frame(tally, other, buffer, "[null,null,\"room:1\",\"presence_diff\"," + diff + "]")).isTrue();
    assertThat(frame(tally, other, buffer, "[\"1\",null,\"room:1\",\"presence_state\"," + state + "]")).isTrue();
    assertThat(frame(tally, other, buffer, "[\"1\",\"5\",\"room:1\",\"presence_state\",{}]")).isFalse(); // a ref
    assertThat(frame(tally, other, buffer, "[null,null,\"room:2\",\"presence_diff\",{}]")).isFalse(); // not its topic
    Map<String, Object> report = tally.report();
    int bytes = state.length() + diff.length();
    assertThat(report).containsEntry("presenceStates", 2L).containsEntry("presenceDiffs", 2L)
        .containsEntry("stateBytes", 2L * state.length()).containsEntry("diffBytes", 2L * diff.length())
        .containsEntry("clientsWithFrames", 2).containsEntry("diffsPerClientMin", 1L).containsEntry("diffsPerClientMax", 1L)
        .containsEntry("bytesPerClientMax", (long) bytes).containsEntry("clientsWithoutExactlyOneState", 0L)
        .containsEntry("sampledViewSizes", List.of(2));
  }

  private static boolean frame(PresenceTally tally, PhxClient client, byte[] buffer, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, buffer, 0, bytes.length);
    return tally.onFrame(client, ServerFrame.parse(buffer, bytes.length), 0);
  }

  /** A client of topic room:1 with no transport: the tally only reads its index, topics and join_ref. */
  private static PhxClient client(int index) {
    return client(null, index, null);
  }

  /** As above, of {@code fleet} (null when the test reads none of its counters), recovering when {@code recoverFrom} is set. */
  static PhxClient client(Fleet fleet, int index, String[] recoverFrom) {
    return new PhxClient(fleet, index, List.of("room:1"), recoverFrom) {
      @Override
      public void execute(Runnable task) {
        task.run();
      }

      @Override
      protected void send(String text) {}

      @Override
      boolean isOpen() {
        return true;
      }

      @Override
      void close() {}
    };
  }

  private static FullHttpResponse json(String body) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set("content-type", "application/json; charset=utf-8");
    return r;
  }
}
