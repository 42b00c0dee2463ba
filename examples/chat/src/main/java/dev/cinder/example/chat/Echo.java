package dev.cinder.example.chat;

import dev.cinder.Payload;
import dev.cinder.Reply;

/** The {@code ping} event of rooms and bench topics: the payload comes back as it went, JSON or binary. */
final class Echo {
  private Echo() {}

  static Reply of(Payload payload) {
    return Reply.ok(payload);
  }
}
