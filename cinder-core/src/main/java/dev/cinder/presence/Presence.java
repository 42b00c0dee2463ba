package dev.cinder.presence;

import dev.cinder.ChannelContext;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.internal.Json;
import dev.cinder.internal.presence.CompactMap;
import dev.cinder.internal.presence.Element;
import dev.cinder.internal.presence.Tracker;
import dev.cinder.internal.presence.TrackerState.LocalKey;
import dev.cinder.presence.PresenceException.Reason;
import dev.cinder.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Who is on which topic, replicated across the nodes of an endpoint (Phoenix.Presence).
 *
 * <p>A channel tracks its client under a key (a user id) with a meta (the app's map: device, status…):
 * <pre>{@code
 * public void handleInfo(Object message, ChannelContext ctx) {          // sent to itself from join
 *   presence.pushState(ctx);                                            // after every (re)join
 *   presence.track(ctx, userId, Map.of("online_at", now, "device", device));
 * }
 * }</pre>
 * A key has one meta per tracked process (a phone and a laptop: two metas), each with a unique
 * {@code phx_ref}. Every change is broadcast to the topic as {@code presence_diff}
 * ({@code {"joins": {key: {"metas": [...]}}, "leaves": {...}}}); an update is a leave of the old meta plus a
 * join of the new one (with {@code phx_ref_prev}) in one diff. A channel's presences are untracked when it
 * ends for any reason: leave, crash, stop, socket closed, idle timeout.
 *
 * <p><b>Diff batching.</b> When changes come fast (a join storm), the diffs of a topic are merged over
 * {@link PresenceOptions#diffWindow()} (20 ms by default) and sent as one, so n joins cost each subscriber a
 * few diffs rather than n. An isolated change is sent at once.
 *
 * <p><b>Replication.</b> Each node creates one Presence on the endpoint's PubSub with its own node name; the
 * nodes' trackers exchange heartbeats and deltas over that PubSub, and each node broadcasts diffs to its own
 * subscribers from its own view. A node that goes silent has its presences leave after the down period.
 *
 * <p><b>Large topics.</b> {@link #state} (what {@link #pushState} sends) is encoded once and shared by the joiners
 * of a diff window; diffs of a topic with many subscribers are paced ({@link PresenceOptions#diffFramesPerSecond});
 * {@link #trackAll} tracks many keys in one diff; and a {@link PresenceOptions#countOnly count-only} topic sends
 * {@code presence_count} {@code {"count": N}} instead of lists.
 *
 * <p><b>Shards.</b> Topics are spread by hash over {@link PresenceOptions#shards()} trackers (4 by default),
 * each with its own lock and replication topic, so tracking on different topics runs in parallel; one topic
 * always lives in one shard. Every node of a cluster must use the same number of shards.
 *
 * <p>All methods are thread-safe. Keys are strings; metas are maps or records, stored as JSON-like maps.
 */
public final class Presence implements AutoCloseable {
  /** The event of a count-only topic's state and changes: {@code {"count": N}} ({@link PresenceOptions#countOnly}). */
  public static final String COUNT_EVENT = "presence_count";
  private final PresenceOptions options;
  private final PresenceView view = new PresenceView();
  private final DiffBatcher diffs;
  private final PhxRefs refs;
  // Topic → shard by hash: each shard is a replica of its own (its own lock, replication topic and heartbeats),
  // so tracking on different topics does not wait on one lock. Every node must use the same number of shards.
  private final Tracker[] shards;
  private final Set<ChannelContext> watched = ConcurrentHashMap.newKeySet();

  private Presence(PubSub pubSub, String nodeName, PresenceOptions options, Telemetry telemetry) {
    this.options = options;
    this.diffs = new DiffBatcher(pubSub, view, options.fetch(), options.countOnly(), options.diffWindow(),
        options.diffFramesPerSecond(), telemetry);
    this.refs = new PhxRefs(options.clock(), nodeName);
    this.shards = new Tracker[options.shards()];
    for (int i = 0; i < shards.length; i++) {
      shards[i] = new Tracker(pubSub, nodeName, options.trackerConfig(i), options.clock(), changes -> {
        view.apply(changes);
        diffs.add(changes);
      });
    }
  }

  /** Starts presence for the node {@code nodeName} (unique in the cluster) on an endpoint's PubSub. */
  public static Presence create(PubSub pubSub, String nodeName, PresenceOptions options) {
    return new Presence(pubSub, nodeName, options, new Telemetry());
  }

  /**
   * Presence on an endpoint's PubSub, named after the PubSub's node, with its diffs reported to
   * {@code telemetry} (use the endpoint's, {@code endpoint.telemetry()}).
   */
  public static Presence create(PubSub pubSub, PresenceOptions options, Telemetry telemetry) {
    return new Presence(pubSub, pubSub.nodeName(), options, telemetry);
  }

  /** The number of presences (metas) this node shows over all topics, remote ones included. */
  public long size() {
    return view.size();
  }

  /** {@link #create(PubSub, String, PresenceOptions)} with {@link PresenceOptions#defaults()}. */
  public static Presence create(PubSub pubSub, String nodeName) {
    return create(pubSub, nodeName, PresenceOptions.defaults());
  }

  public String nodeName() {
    return shards[0].self().name();
  }

  // Tracking ----------------------------------------------------------------------------------------------

  /**
   * Tracks the channel's client on the channel's topic; untracked when the channel ends. Returns the meta's
   * {@code phx_ref}. Throws {@link PresenceException} ({@code ALREADY_TRACKED}) if this channel already tracks
   * {@code key}.
   */
  public String track(ChannelContext channel, String key, Object meta) {
    return track(channel.topic(), channel, key, meta);
  }

  /**
   * Tracks {@code owner} (any object with a stable identity: a process id, a job) under {@code key} on
   * {@code topic}, until {@link #untrack} or {@link #untrackAll}. An owner that is a {@link ChannelContext} is
   * untracked when its channel ends. Same result and failure as {@link #track(ChannelContext, String, Object)}.
   */
  public String track(String topic, Object owner, String key, Object meta) {
    LocalKey id = new LocalKey(topic, owner, key);
    Element element = shard(topic).track(id, withRef(toMeta(meta), owner, null));
    if (element == null) {
      throw new PresenceException(Reason.ALREADY_TRACKED, "already tracked: " + key + " on " + topic);
    }
    watch(owner);
    return element.phxRef();
  }

  /**
   * Tracks many keys for the channel at once ({@code key → meta}, in the map's order): all of them are sent in one
   * {@code presence_diff} and replicated in one message. Returns {@code key → phx_ref}. Throws
   * {@link PresenceException} ({@code ALREADY_TRACKED}) and tracks none if the channel already tracks any key.
   */
  public Map<String, String> trackAll(ChannelContext channel, Map<String, ?> metas) {
    return trackAll(channel.topic(), channel, metas);
  }

  /** {@link #trackAll(ChannelContext, Map)} for any owner and topic, as {@link #track(String, Object, String, Object)}. */
  public Map<String, String> trackAll(String topic, Object owner, Map<String, ?> metas) {
    List<LocalKey> keys = new ArrayList<>(metas.size());
    List<Map<String, Object>> fields = new ArrayList<>(metas.size());
    metas.forEach((key, meta) -> {
      keys.add(new LocalKey(topic, owner, Objects.requireNonNull(key, "key")));
      fields.add(withRef(toMeta(meta), owner, null));
    });
    List<Element> elements = shard(topic).trackAll(keys, fields);
    if (elements == null) {
      throw new PresenceException(Reason.ALREADY_TRACKED, "already tracked: one of " + metas.keySet() + " on " + topic);
    }
    watch(owner);
    Map<String, String> refs = new LinkedHashMap<>();
    elements.forEach(e -> refs.put(e.key(), e.phxRef()));
    return refs;
  }

  private void watch(Object owner) {
    if (owner instanceof ChannelContext channel && watched.add(channel)) {
      channel.hooks().onTerminate(() -> {
        watched.remove(channel);
        untrackAll(channel);
      });
    }
  }

  /** Replaces the meta of the channel's presence; returns the new {@code phx_ref}. */
  public String update(ChannelContext channel, String key, Object meta) {
    return update(channel.topic(), channel, key, meta);
  }

  /**
   * Replaces the meta of the channel's presence with {@code change(current meta)}; the function sees and
   * returns the app's fields only ({@code phx_ref}s are Presence's). Returns the new {@code phx_ref}.
   */
  public String update(ChannelContext channel, String key, UnaryOperator<Map<String, Object>> change) {
    return update(channel.topic(), channel, key, change);
  }

  /** Replaces the meta of a presence; throws {@link PresenceException} ({@code NOT_TRACKED}) if untracked. */
  public String update(String topic, Object owner, String key, Object meta) {
    Map<String, Object> fields = toMeta(meta);
    return update(topic, owner, key, old -> fields);
  }

  /** Replaces the meta of a presence with {@code change(current fields)}; see the channel variant. */
  public String update(String topic, Object owner, String key, UnaryOperator<Map<String, Object>> change) {
    Element element = shard(topic).update(new LocalKey(topic, owner, key),
        old -> withRef(toMeta(change.apply(appFields(old))), owner, (String) old.get(Element.PHX_REF)));
    if (element == null) {
      throw new PresenceException(Reason.NOT_TRACKED, "not tracked: " + key + " on " + topic);
    }
    return element.phxRef();
  }

  /** Stops tracking the channel's client under {@code key}; false if it was not tracked. */
  public boolean untrack(ChannelContext channel, String key) {
    return untrack(channel.topic(), channel, key);
  }

  /** Stops tracking {@code owner} under {@code key} on {@code topic}; false if it was not tracked. */
  public boolean untrack(String topic, Object owner, String key) {
    return shard(topic).untrack(new LocalKey(topic, owner, key));
  }

  /** Stops tracking everything {@code owner} tracks, on every topic. */
  public void untrackAll(Object owner) {
    for (Tracker shard : shards) {
      shard.untrackAll(owner);
    }
  }

  // Listing -----------------------------------------------------------------------------------------------

  /**
   * The presences visible on this node for {@code topic}, through the fetch hook: exactly the
   * {@code presence_state} payload, {@code {key: {"metas": [meta, …]}}}, keys sorted, metas in join order.
   */
  public Map<String, Map<String, Object>> list(String topic) {
    Map<String, Map<String, Object>> presences = view.list(topic);
    return presences.isEmpty() ? presences : options.fetch().fetch(topic, presences);
  }

  /**
   * The {@code presence_state} payload of {@code topic}, ready to push: {@code ctx.push("presence_state",
   * presence.state(ctx.topic()))}. The same presences as {@link #list}, but encoded once and shared: while no
   * {@code presence_diff} of the topic has gone out, every joiner gets the same bytes, so a join storm costs one
   * encoding per diff window instead of one per joiner (with a {@link PresenceOptions#fetch fetch hook}, each
   * call fetches and encodes anew). Push it from the channel after it is subscribed, i.e. after the join reply
   * (from {@code handleInfo}), as with {@code list}: the shared state may lack changes whose diffs are still to
   * come, and only a subscribed client gets those.
   */
  public Payload state(String topic) {
    if (options.countOnly().test(topic)) {
      return Payload.of(Map.of("count", view.count(topic)));
    }
    return options.fetchSet() ? Payload.of(list(topic)) : view.state(topic);
  }

  /**
   * Pushes the topic's presences to the channel's client, after the join reply (from {@code handleInfo}):
   * {@code presence_state} with {@link #state}, or, on a {@link PresenceOptions#countOnly count-only} topic,
   * {@code presence_count} {@code {"count": N}}.
   */
  public void pushState(ChannelContext channel) {
    String topic = channel.topic();
    channel.push(options.countOnly().test(topic) ? COUNT_EVENT : "presence_state", state(topic));
  }

  /** Stops this node's replica and its diffs. Other nodes drop its presences after their down period. */
  @Override
  public void close() {
    for (Tracker shard : shards) {
      shard.close();
    }
    diffs.close();
  }

  /** The replica of the first shard, for tests in this package. */
  Tracker tracker() {
    return shards[0];
  }

  /** Every shard's replica, for tests in this package. */
  List<Tracker> trackers() {
    return List.of(shards);
  }

  /** The shard replicating {@code topic}; package-visible for tests, whose peers views are per shard. */
  Tracker shard(String topic) {
    return shards.length == 1 ? shards[0] : shards[Math.floorMod(topic.hashCode(), shards.length)];
  }

  // Metas -------------------------------------------------------------------------------------------------

  /** The app's meta as a JSON-like map: a map or a record converted (and copied) the way it will be sent. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> toMeta(Object meta) {
    if (meta == null) {
      return new LinkedHashMap<>();
    }
    try {
      // Copied again: the conversion may hand back the caller's own map, and phx_ref is added to the result.
      return new LinkedHashMap<String, Object>(Json.MAPPER.convertValue(meta, LinkedHashMap.class));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("a presence meta must convert to a JSON object: " + meta, e);
    }
  }

  private Map<String, Object> withRef(Map<String, Object> fields, Object owner, String previousRef) {
    fields.remove(Element.PHX_REF_PREV);
    fields.put(Element.PHX_REF, refs.next(owner));
    if (previousRef != null) {
      fields.put(Element.PHX_REF_PREV, previousRef);
    }
    return CompactMap.copyOf(fields);
  }

  private static Map<String, Object> appFields(Map<String, Object> meta) {
    Map<String, Object> fields = new LinkedHashMap<>(meta);
    fields.remove(Element.PHX_REF);
    fields.remove(Element.PHX_REF_PREV);
    return Collections.unmodifiableMap(fields);
  }
}
