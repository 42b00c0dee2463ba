package dev.cinder.internal.presence;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The peers a replica has heard from, by node name: which incarnation, whether it is up, and when it last
 * sent a heartbeat. Decides up, down and permdown and applies them to the {@link TrackerState}.
 * Not thread-safe: the {@link Tracker} owns it.
 */
final class Replicas {
  private static final class Peer {
    final ReplicaRef ref;
    boolean up = true;
    long lastHeartbeat;

    Peer(ReplicaRef ref, long now) {
      this.ref = ref;
      this.lastHeartbeat = now;
    }
  }

  private final Map<String, Peer> byName = new HashMap<>();

  /**
   * A heartbeat from {@code ref}: a new name comes up; a down replica with the same vsn comes back (its
   * presences join again); a new vsn means a restart, so the old incarnation is purged first. Returns false
   * for a message of an older incarnation, which must be ignored.
   */
  boolean heartbeat(ReplicaRef ref, long now, TrackerState state, List<Change> out) {
    Peer peer = byName.get(ref.name());
    if (peer != null && ref.vsn() < peer.ref.vsn()) {
      return false;
    }
    if (peer == null || ref.vsn() > peer.ref.vsn()) {
      if (peer != null) {
        state.purge(peer.ref, out);
      }
      peer = new Peer(ref, now);
      byName.put(ref.name(), peer);
      state.replicaUp(ref, out);
    } else if (!peer.up) {
      peer.up = true;
      state.replicaUp(ref, out);
    }
    peer.lastHeartbeat = now;
    return true;
  }

  boolean isUp(ReplicaRef ref) {
    Peer peer = byName.get(ref.name());
    return peer != null && peer.up && peer.ref.equals(ref);
  }

  /** Marks silent replicas down after {@code downMillis} and forgets them after {@code permdownMillis}. */
  void detectDowns(long now, long downMillis, long permdownMillis, TrackerState state, List<Change> out) {
    for (Iterator<Peer> it = byName.values().iterator(); it.hasNext(); ) {
      Peer peer = it.next();
      long silence = now - peer.lastHeartbeat;
      if (peer.up && silence > downMillis) {
        peer.up = false;
        state.replicaDown(peer.ref, out);
      }
      if (silence > permdownMillis) {
        state.purge(peer.ref, out);
        it.remove();
      }
    }
  }

  /** Forgets {@code ref} at once (a graceful shutdown). */
  void permdown(ReplicaRef ref, TrackerState state, List<Change> out) {
    Peer peer = byName.get(ref.name());
    if (peer != null && peer.ref.equals(ref)) {
      state.purge(ref, out);
      byName.remove(ref.name());
    }
  }

  /** Peer name → "up" or "down", for diagnostics and tests. */
  Map<String, String> statuses() {
    Map<String, String> statuses = new HashMap<>();
    byName.forEach((name, peer) -> statuses.put(name, peer.up ? "up" : "down"));
    return statuses;
  }
}
