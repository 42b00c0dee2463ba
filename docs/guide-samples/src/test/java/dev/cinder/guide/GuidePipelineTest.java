package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsReply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Page 06: ForumChannel's pipeline answers each refused post with its reason; a post that passes is broadcast. */
class GuidePipelineTest extends GuideServerTest {
  private static String errorReason(JsReply reply) {
    assertThat(reply.status()).isEqualTo("error");
    return reply.response().get("reason").stringValue();
  }

  @Test
  void aPostThatPassesIsBroadcastAsTheStepsLeftIt() {
    JsChannel forum = joined("alice", "forum:java");
    assertThat(forum.push("new_post", Map.of("body", "  records are nice  ")).status()).isEqualTo("ok");
    assertThat(forum.awaitMessage("new_post", WAIT).payload().get("body").stringValue()).isEqualTo("records are nice");
  }

  @Test
  void eachStepRefusesWithItsReason() {
    JsChannel forum = joined("alice", "forum:rules");
    assertThat(errorReason(forum.push("new_post", Map.of()))).isEqualTo("Missing required fields: body");
    assertThat(errorReason(forum.push("new_post", Map.of("body", "x".repeat(2001))))).isEqualTo("body_too_long");
    assertThat(errorReason(forum.push("new_post", Map.of("body", "READ THIS")))).isEqualTo("no_shouting");
  }

  @Test
  void theSixthPostWithinTenSecondsIsRateLimited() {
    JsChannel forum = joined("bob", "forum:busy");
    for (int i = 1; i <= 5; i++) {
      assertThat(forum.push("new_post", Map.of("body", "post " + i)).status()).as("post " + i).isEqualTo("ok");
    }
    JsReply sixth = forum.push("new_post", Map.of("body", "post 6"));
    assertThat(errorReason(sixth)).isEqualTo("rate_limited");
    assertThat(sixth.response().get("message").stringValue()).isEqualTo("Too many messages. Please slow down.");
    // The budget is per user per forum: bob elsewhere, or someone else here, still posts.
    assertThat(joined("bob", "forum:quiet").push("new_post", Map.of("body", "hi")).status()).isEqualTo("ok");
    assertThat(joined("carol", "forum:busy").push("new_post", Map.of("body", "hi")).status()).isEqualTo("ok");
  }
}
