package dev.cinder.example.chat;

import dev.cinder.ChannelContext;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.offload.Offloader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import tools.jackson.databind.JsonNode;

/**
 * {@code process_data {"data", "delay_ms"}}: slow work done off the channel. The client gets
 * {@code {"accepted":true}} at once; {@code delay_ms} later the room gets {@code result {"user_id","result"}},
 * the SHA-256 of {@code data} in hex, while the channel keeps answering its client.
 */
final class ProcessData {
  static final int MAX_DELAY_MS = 5000;
  private static final Map<String, Boolean> ACCEPTED = Map.of("accepted", true);

  private ProcessData() {}

  static Reply handle(Payload payload, ChannelContext ctx, Offloader jobs) {
    JsonNode data = payload.isBinary() ? null : payload.field("data");
    JsonNode delay = payload.isBinary() ? null : payload.field("delay_ms");
    if (data == null || !data.isString()) {
      return Reply.error(Map.of("reason", "data must be a string"));
    }
    if (delay == null || !delay.isIntegralNumber() || !delay.canConvertToInt()
        || delay.intValue() < 0 || delay.intValue() > MAX_DELAY_MS) {
      return Reply.error(Map.of("reason", "delay_ms must be an integer from 0 to " + MAX_DELAY_MS));
    }
    String userId = ctx.assigns().get("user_id");
    String input = data.stringValue();
    int delayMs = delay.intValue();
    // The job waits for the reply to be sent: with delay 0 its broadcast could otherwise overtake the reply.
    CountDownLatch replied = new CountDownLatch(1);
    var admission = jobs.submitAndBroadcast(ctx, "result", () -> {
      replied.await();
      Thread.sleep(delayMs);
      return Map.of("user_id", userId, "result", sha256Hex(input));
    });
    if (!admission.accepted()) {
      return Reply.error(Map.of("reason", "too_many_jobs"));
    }
    ctx.reply(ctx.replyRef(), Reply.ok(ACCEPTED));
    replied.countDown();
    return Reply.none();
  }

  static String sha256Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
