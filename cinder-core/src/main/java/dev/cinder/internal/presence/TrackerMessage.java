package dev.cinder.internal.presence;

import java.util.Map;

/**
 * What replicas of one tracker say to each other over the PubSub topic they share. Directed
 * messages name their recipient in {@code to}; every other replica ignores them.
 */
public sealed interface TrackerMessage {
  ReplicaRef from();

  /** "I am alive": sent every broadcast period with a delta, or without one after some silent periods. */
  record Heartbeat(ReplicaRef from, Delta delta, Map<ReplicaRef, Long> clocks) implements TrackerMessage {}

  /** "Send me your state": from a replica that saw it is behind. {@code context} is what it has seen. */
  record TransferReq(ReplicaRef from, String to, long ref, Map<ReplicaRef, Long> context) implements TrackerMessage {}

  /** The answer to a {@link TransferReq}: the responder's state, restricted to what the requester knows. */
  record TransferAck(ReplicaRef from, String to, long ref, StateSnapshot state) implements TrackerMessage {}

  /** A replica shutting down on purpose: peers drop its presences at once instead of waiting. */
  record GracefulPermdown(ReplicaRef from) implements TrackerMessage {}
}
