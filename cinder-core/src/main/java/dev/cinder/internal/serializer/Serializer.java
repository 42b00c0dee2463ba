package dev.cinder.internal.serializer;

import dev.cinder.Broadcast;

/**
 * Message ⇄ frame for one protocol version. Implementations are stateless and thread-safe.
 */
public interface Serializer {
  /** The protocol version this serializer speaks, e.g. {@code "2.0.0"}. */
  String version();

  /**
   * Decodes a client frame. Throws {@link MalformedFrameException} for anything the protocol does not allow
   * (docs/protocol.md, "Frames").
   */
  Message decode(Frame frame);

  /** Encodes a server push, {@code phx_close} or {@code phx_error}. */
  Frame encodePush(Message message);

  /** Encodes a {@code phx_reply}. */
  Frame encodeReply(ReplyMessage reply);

  /** Encodes a fastlane broadcast: no refs; encoded once and shared by every recipient. */
  Frame encodeBroadcast(Broadcast broadcast);

  /**
   * Encodes a broadcast with a ref: its position in the topic's history, for the clients that asked for positions.
   * JSON payloads only: the binary broadcast frame has no ref.
   */
  Frame encodeBroadcast(Broadcast broadcast, String ref);
}
