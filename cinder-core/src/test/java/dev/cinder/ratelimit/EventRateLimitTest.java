package dev.cinder.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Assigns;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.pipeline.Pipeline;
import dev.cinder.support.RecordingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventRateLimitTest {
  private final RateLimiter<Object> limiter = RateLimiter.of(2, Duration.ofHours(1));

  private Pipeline pipeline(RateKey key) {
    return Pipeline.builder().step(new EventRateLimit(limiter, key)).build();
  }

  @Test
  void overTheLimitTheClientGetsTheRateLimitedErrorAndTheHandlerIsNotCalled() {
    Pipeline pipeline = pipeline(RateKey.assignAndTopic("user_id"));
    RecordingContext ctx = RecordingContext.of("room:1", "alice");
    AtomicInteger handled = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      Reply reply = pipeline.handle("new_msg", Payload.empty(), ctx, (e, p, c) -> {
        handled.incrementAndGet();
        return Reply.none();
      });
      assertThat(reply.isNone()).isTrue();
    }
    assertThat(handled).hasValue(2);
    assertThat(ctx.pushes).singleElement().satisfies(push -> {
      assertThat(push.event()).isEqualTo("error");
      assertThat(push.payload()).isEqualTo(Payload.of(
          Map.of("reason", "rate_limited", "message", "Too many messages. Please slow down.")));
    });
  }

  @Test
  void perUserAndTopicKeepsRoomsApartButJoinsSocketsOfOneUser() {
    EventRateLimit limit = new EventRateLimit(limiter, RateKey.assignAndTopic("user_id"));
    RecordingContext room1 = RecordingContext.of("room:1", "alice");
    RecordingContext room1OtherTab = RecordingContext.of("room:1", "alice");
    RecordingContext room2 = RecordingContext.of("room:2", "alice");
    assertThat(limit.check("new_msg", Payload.empty(), room1).allowed()).isTrue();
    assertThat(limit.check("new_msg", Payload.empty(), room1OtherTab).allowed()).isTrue();
    assertThat(limit.check("new_msg", Payload.empty(), room1).allowed()).isFalse();
    assertThat(limit.check("new_msg", Payload.empty(), room2).allowed()).isTrue();
  }

  @Test
  void perSocketIdSharesOneBudgetAcrossTopicsAndAnonymousSocketsCountPerChannel() {
    EventRateLimit limit = new EventRateLimit(limiter, RateKey.socketId());
    RecordingContext a = RecordingContext.of("room:1", "bob");
    RecordingContext b = RecordingContext.of("room:2", "bob");
    assertThat(limit.check("x", Payload.empty(), a).allowed()).isTrue();
    assertThat(limit.check("x", Payload.empty(), b).allowed()).isTrue();
    assertThat(limit.check("x", Payload.empty(), a).allowed()).isFalse();
    RecordingContext anon1 = new RecordingContext("room:1", new Assigns(), null);
    RecordingContext anon2 = new RecordingContext("room:1", new Assigns(), null);
    limit.check("x", Payload.empty(), anon1);
    limit.check("x", Payload.empty(), anon1);
    assertThat(limit.check("x", Payload.empty(), anon1).allowed()).isFalse();
    assertThat(limit.check("x", Payload.empty(), anon2).allowed()).isTrue();
  }

  @Test
  void aCustomErrorPayloadIsReportedAsGiven() {
    Pipeline pipeline = Pipeline.builder()
        .step(new EventRateLimit(RateLimiter.of(1, Duration.ofHours(1)), RateKey.assign("user_id"), Map.of("reason", "slow")))
        .errors(dev.cinder.pipeline.ErrorReport.reply())
        .build();
    RecordingContext ctx = RecordingContext.of("room:1", "carol");
    pipeline.handle("typing", Payload.empty(), ctx, (e, p, c) -> Reply.ok());
    Reply refused = pipeline.handle("typing", Payload.empty(), ctx, (e, p, c) -> Reply.ok());
    assertThat(refused.status()).isEqualTo("error");
    assertThat(refused.response()).isEqualTo(Payload.of(Map.of("reason", "slow")));
    assertThat(ctx.pushes).isEmpty();
  }
}
