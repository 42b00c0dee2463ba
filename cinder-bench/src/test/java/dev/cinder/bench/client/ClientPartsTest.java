package dev.cinder.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator's pieces that decide what counts: topic specs, long-poll envelopes, rebuilt presence lists. */
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

  private static FullHttpResponse json(String body) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set("content-type", "application/json; charset=utf-8");
    return r;
  }
}
