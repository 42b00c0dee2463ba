package dev.cinder.client;

import dev.cinder.client.internal.Timers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/** A push of a channel: buffered until the channel is joined, then sent and awaiting its reply. Loop only. */
final class OutgoingPush {
  final String event;
  final JsonNode json;
  final byte[] binary;
  final Duration timeout;
  final CompletableFuture<Reply> future;
  String ref;
  Timers.Timer timer;

  OutgoingPush(String event, JsonNode json, byte[] binary, Duration timeout, CompletableFuture<Reply> future) {
    this.event = event;
    this.json = json;
    this.binary = binary;
    this.timeout = timeout;
    this.future = future;
  }

  void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }
}
