package dev.cinder.internal.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replicated presence set as one replica holds it: a causal, delta-state observed-remove set.
 *
 * <p>Every local add or remove bumps this replica's clock; an element's tag is (replica, clock at its add).
 * The {@code context} maps each known replica to the highest of its clocks seen: a tag is "seen" when its clock
 * is at most that. A replica's deltas are merged only when they start where the receiver's knowledge ends, and
 * full transfers carry contexts that are themselves such prefixes, so what a replica has seen of another is
 * always a prefix of that replica's clock. Phoenix's per-replica "clouds" of out-of-order tags therefore stay
 * empty after compaction and are not kept. Seen and absent means removed: that is how merges find leaves.
 *
 * <p>Each replica owns what it tracked: remote data never removes or adds this replica's own elements.
 * Elements of a replica marked down stay stored but are invisible (reported as leaves, back as joins when it
 * comes up). Every method reports what became visible or invisible into {@code out}.
 *
 * <p>Not thread-safe: the {@link Tracker} owns it.
 */
public final class TrackerState {
  /** The identity of one local presence: an owner tracks a topic/key pair at most once. */
  public record LocalKey(String topic, Object owner, String key) {}

  private final ReplicaRef self;
  private long clock;
  private final Map<ReplicaRef, Long> context = new HashMap<>();
  private final Set<ReplicaRef> down = new HashSet<>();
  private final Map<ReplicaRef, Map<Long, Element>> values = new HashMap<>();
  private final Map<LocalKey, Element> local = new HashMap<>();
  // owner → its LocalKey, or a Set of them when it tracks several (one key per owner is the common case)
  private final Map<Object, Object> byOwner = new HashMap<>();
  // The delta since the last heartbeat: own adds still present, and the clocks of own elements removed.
  private long deltaFrom;
  private final Map<Long, Element> deltaAdds = new LinkedHashMap<>();
  private final List<Long> deltaRemoves = new ArrayList<>();

  public TrackerState(ReplicaRef self) {
    this.self = self;
    context.put(self, 0L);
    values.put(self, new HashMap<>());
  }

  public ReplicaRef self() {
    return self;
  }

  // Local operations ---------------------------------------------------------------------------------------

  public Element local(LocalKey key) {
    return local.get(key);
  }

  /** Adds a presence owned by this replica; the caller has checked that {@code key} is not tracked yet. */
  public Element add(LocalKey key, Map<String, Object> meta, List<Change> out) {
    Element element = new Element(self, tick(), key.topic(), key.key(), meta, key.owner());
    values.get(self).put(element.clock(), element);
    local.put(key, element);
    byOwner.merge(key.owner(), key, TrackerState::addKey);
    deltaAdds.put(element.clock(), element);
    out.add(Change.join(element));
    return element;
  }

  /** Removes a local presence; null when it was not tracked. */
  public Element remove(LocalKey key, List<Change> out) {
    Element element = local.remove(key);
    if (element == null) {
      return null;
    }
    values.get(self).remove(element.clock());
    byOwner.computeIfPresent(key.owner(), (owner, keys) -> removeKey(keys, key));
    // Always listed, even when the add is still in this delta: a peer may have seen it through a transfer.
    deltaAdds.remove(element.clock());
    deltaRemoves.add(element.clock());
    tick(); // the removal is an event of its own, so a delta that only removes is not empty
    out.add(Change.leave(element));
    return element;
  }

  /** Removes every local presence of {@code owner}. */
  @SuppressWarnings("unchecked")
  public void removeAll(Object owner, List<Change> out) {
    Object keys = byOwner.get(owner);
    if (keys instanceof LocalKey key) {
      remove(key, out);
    } else if (keys != null) {
      for (LocalKey key : List.copyOf((Set<LocalKey>) keys)) {
        remove(key, out);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Object addKey(Object keys, Object key) {
    if (keys instanceof LocalKey single) {
      Set<LocalKey> set = new HashSet<>(4);
      set.add(single);
      set.add((LocalKey) key);
      return set;
    }
    ((Set<LocalKey>) keys).add((LocalKey) key);
    return keys;
  }

  /** The owner's keys without {@code key}; null when none are left. */
  @SuppressWarnings("unchecked")
  private static Object removeKey(Object keys, LocalKey key) {
    if (keys instanceof LocalKey single) {
      return single.equals(key) ? null : single;
    }
    Set<LocalKey> set = (Set<LocalKey>) keys;
    set.remove(key);
    return set.size() == 1 ? set.iterator().next() : set;
  }

  /** Takes the delta accumulated since the last call and starts a new one. */
  public Delta takeDelta() {
    Delta delta = new Delta(self, deltaFrom, clock, List.copyOf(deltaAdds.values()), List.copyOf(deltaRemoves));
    deltaFrom = clock;
    deltaAdds.clear();
    deltaRemoves.clear();
    return delta;
  }

  private long tick() {
    clock++;
    context.put(self, clock);
    return clock;
  }

  // Replicas ----------------------------------------------------------------------------------------------

  public boolean knows(ReplicaRef replica) {
    return context.containsKey(replica);
  }

  /** A copy of the context: what this replica has seen of every replica it knows. */
  public Map<ReplicaRef, Long> context() {
    return new HashMap<>(context);
  }

  /** The context without down replicas: what heartbeats advertise and clock sampling compares. */
  public Map<ReplicaRef, Long> clocks() {
    Map<ReplicaRef, Long> clocks = new HashMap<>(context);
    clocks.keySet().removeAll(down);
    return clocks;
  }

  /** A replica is up: known from now on (with nothing seen of it yet), or visible again if it was down. */
  public void replicaUp(ReplicaRef replica, List<Change> out) {
    context.putIfAbsent(replica, 0L);
    values.computeIfAbsent(replica, r -> new HashMap<>());
    if (down.remove(replica)) {
      values.get(replica).values().forEach(e -> out.add(Change.join(e)));
    }
  }

  /** A replica went silent: its presences are hidden (leaves) but kept, in case it comes back. */
  public void replicaDown(ReplicaRef replica, List<Change> out) {
    if (!replica.equals(self) && knows(replica) && down.add(replica)) {
      values.get(replica).values().forEach(e -> out.add(Change.leave(e)));
    }
  }

  /** Forgets a replica for good (permdown): its presences, if still visible, leave. */
  public void purge(ReplicaRef replica, List<Change> out) {
    if (replica.equals(self) || !knows(replica)) {
      return;
    }
    replicaDown(replica, out);
    values.remove(replica);
    context.remove(replica);
    down.remove(replica);
  }

  private boolean visible(ReplicaRef replica) {
    return !down.contains(replica);
  }

  // Merges ------------------------------------------------------------------------------------------------

  /**
   * Merges a peer's delta. Returns false, changing nothing, when the peer is unknown or the delta starts past
   * what this replica has seen of it (a gap: some earlier delta was missed, and a transfer must fill it).
   */
  public boolean mergeDelta(Delta delta, List<Change> out) {
    ReplicaRef replica = delta.replica();
    if (replica.equals(self) || !knows(replica)) {
      return false;
    }
    long seen = context.get(replica);
    if (seen < delta.fromClock()) {
      return false;
    }
    if (delta.toClock() <= seen) {
      return true; // nothing new
    }
    Map<Long, Element> elements = values.get(replica);
    boolean visible = visible(replica);
    for (Element element : delta.adds()) {
      if (element.clock() > seen && elements.putIfAbsent(element.clock(), element) == null && visible) {
        out.add(Change.join(element));
      }
    }
    for (long removed : delta.removes()) {
      Element element = elements.remove(removed);
      if (element != null && visible) {
        out.add(Change.leave(element));
      }
    }
    context.put(replica, delta.toClock());
    return true;
  }

  /**
   * Merges a peer's full state (a transfer). For each replica both sides know (this one excepted): elements
   * not seen here join; elements here that the peer has seen but no longer holds were removed, and leave.
   * Contexts merge by maximum.
   */
  public void mergeState(StateSnapshot remote, List<Change> out) {
    Map<ReplicaRef, Set<Long>> remoteClocks = new HashMap<>();
    for (Element element : remote.elements()) {
      ReplicaRef replica = element.replica();
      remoteClocks.computeIfAbsent(replica, r -> new HashSet<>()).add(element.clock());
      if (replica.equals(self) || !knows(replica) || element.clock() <= context.get(replica)) {
        continue;
      }
      if (values.get(replica).putIfAbsent(element.clock(), element) == null && visible(replica)) {
        out.add(Change.join(element));
      }
    }
    remote.context().forEach((replica, remoteSeen) -> {
      if (replica.equals(self) || !knows(replica)) {
        return;
      }
      Set<Long> held = remoteClocks.getOrDefault(replica, Set.of());
      boolean visible = visible(replica);
      for (Iterator<Element> it = values.get(replica).values().iterator(); it.hasNext(); ) {
        Element element = it.next();
        if (element.clock() <= remoteSeen && !held.contains(element.clock())) {
          it.remove();
          if (visible) {
            out.add(Change.leave(element));
          }
        }
      }
      context.merge(replica, remoteSeen, Math::max);
    });
  }

  /** What a transfer to {@code requester} carries: the replicas it knows, except its own elements. */
  public StateSnapshot snapshotFor(ReplicaRef requester, Set<ReplicaRef> requesterKnows) {
    Map<ReplicaRef, Long> snapshotContext = new HashMap<>();
    List<Element> elements = new ArrayList<>();
    context.forEach((replica, seen) -> {
      if (!replica.equals(requester) && requesterKnows.contains(replica)) {
        snapshotContext.put(replica, seen);
        elements.addAll(values.get(replica).values());
      }
    });
    return new StateSnapshot(snapshotContext, elements);
  }

  /** Every stored element (visible or not), for tests and diagnostics. */
  public List<Element> elements() {
    List<Element> all = new ArrayList<>();
    values.values().forEach(v -> all.addAll(v.values()));
    return all;
  }

  /** The number of stored elements. */
  public int size() {
    int size = 0;
    for (Map<Long, Element> v : values.values()) {
      size += v.size();
    }
    return size;
  }
}
