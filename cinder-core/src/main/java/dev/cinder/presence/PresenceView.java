package dev.cinder.presence;

import dev.cinder.Payload;
import dev.cinder.internal.Json;
import dev.cinder.internal.presence.Change;
import dev.cinder.internal.presence.Element;
import dev.cinder.internal.serializer.EncodedJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this node shows: the presences visible per topic, folded from the tracker's changes exactly as clients
 * fold {@code presence_diff}s, so {@link #list} answers without touching the tracker. Keys are sorted; the
 * metas of a key are in join order (an updated meta moves to the end, as it does on clients).
 *
 * <p>One writer per topic at a time (the lock of the tracker shard that owns the topic), any number of readers;
 * a reader sees each key either before or after a change, never half-way (an update never makes its key
 * disappear).
 *
 * <p><b>Encoded once, shared.</b> {@link #state} answers the {@code presence_state} payload as JSON bytes built
 * from each key's own encoded bytes (encoded once per change of that key), and the same bytes serve every joiner
 * until a {@code presence_diff} of the topic goes out. That is safe: a joiner subscribed to the topic before
 * asking, so every change not yet sent as a diff reaches it as a diff; what it must find in its state is only
 * what went out before, and the shared state holds all of that. Each topic counts its changes
 * ({@link TopicView#applied}) and the diff batcher records how far it has sent ({@link TopicView#sent}); a
 * shared state built at count {@code n} is served while {@code n >= sent}.
 */
final class PresenceView {
  private static final byte[] METAS = "{\"metas\":".getBytes(StandardCharsets.US_ASCII);
  private static final Payload EMPTY = EncodedJson.payload("{}".getBytes(StandardCharsets.US_ASCII));

  /** The presences of one key on one topic, with their JSON fragment {@code "key":{"metas":[...]}} once asked. */
  private static final class KeyPresence {
    final List<Map<String, Object>> metas;
    private volatile byte[] encoded; // benign race: two readers may encode the same bytes

    KeyPresence(List<Map<String, Object>> metas) {
      this.metas = metas;
    }

    byte[] encoded(String key) {
      byte[] bytes = encoded;
      if (bytes == null) {
        byte[] name = Json.MAPPER.writeValueAsBytes(key);
        byte[] list = Json.MAPPER.writeValueAsBytes(metas);
        bytes = new byte[name.length + 1 + METAS.length + list.length + 1];
        int at = 0;
        System.arraycopy(name, 0, bytes, at, name.length);
        bytes[at += name.length] = ':';
        System.arraycopy(METAS, 0, bytes, ++at, METAS.length);
        System.arraycopy(list, 0, bytes, at += METAS.length, list.length);
        bytes[bytes.length - 1] = '}';
        encoded = bytes;
      }
      return bytes;
    }
  }

  /** An encoded presence_state and the count of changes it includes. */
  private record SharedState(long applied, Payload payload) {}

  /** One topic's presences, its change count, how far its diffs went out, and its shared state. */
  private static final class TopicView {
    final ConcurrentSkipListMap<String, KeyPresence> keys = new ConcurrentSkipListMap<>();
    /** Changes applied; written by the topic's one writer after the change is visible in {@link #keys}. */
    volatile long applied;
    /** The count up to which changes were taken into a diff about to go out. */
    volatile long sent;
    volatile SharedState shared;
  }

  private final ConcurrentHashMap<String, TopicView> topics = new ConcurrentHashMap<>();
  private final AtomicLong metas = new AtomicLong();

  /** The number of visible metas (tracked presences) over all topics. */
  long size() {
    return metas.get();
  }

  /** Joins first, then leaves: an update (leave + join of one key) then never empties the key in between. */
  void apply(List<Change> changes) {
    Set<TopicView> touched = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Change change : changes) {
      if (change.join()) {
        touch(touched, join(change.element()));
        metas.incrementAndGet();
      }
    }
    for (Change change : changes) {
      if (!change.join()) {
        touch(touched, leave(change.element()));
        metas.decrementAndGet();
      }
    }
    for (TopicView topic : touched) {
      topic.applied++; // only after the changes are in `keys`: a state built at this count holds them
    }
  }

  private static void touch(Set<TopicView> touched, TopicView topic) {
    if (topic != null) {
      touched.add(topic);
    }
  }

  /** The change count of a topic (0 for a topic with no presences); called by the topic's writer. */
  long applied(String topic) {
    TopicView view = topics.get(topic);
    return view == null ? 0 : view.applied;
  }

  /** The diff batcher takes the changes of {@code topic} up to {@code applied} into a diff about to go out. */
  void sending(String topic, long applied) {
    TopicView view = topics.get(topic);
    if (view != null && view.sent < applied) {
      view.sent = applied; // one batcher thread writes this
    }
  }

  private TopicView join(Element element) {
    TopicView topic = topics.computeIfAbsent(element.topic(), t -> new TopicView());
    topic.keys.compute(element.key(), (key, presence) -> {
      if (presence == null) {
        return new KeyPresence(List.of(element.meta()));
      }
      List<Map<String, Object>> more = new ArrayList<>(presence.metas.size() + 1);
      more.addAll(presence.metas);
      more.add(element.meta());
      return new KeyPresence(List.copyOf(more));
    });
    return topic;
  }

  private TopicView leave(Element element) {
    TopicView topic = topics.get(element.topic());
    if (topic == null) {
      return null;
    }
    String ref = element.phxRef();
    topic.keys.computeIfPresent(element.key(), (key, presence) -> {
      List<Map<String, Object>> rest = new ArrayList<>(presence.metas.size());
      for (Map<String, Object> meta : presence.metas) {
        if (!ref.equals(meta.get(Element.PHX_REF))) {
          rest.add(meta);
        }
      }
      return rest.isEmpty() ? null : new KeyPresence(List.copyOf(rest));
    });
    if (topic.keys.isEmpty()) {
      topics.remove(element.topic(), topic); // safe: the topic's only writer is us
    }
    return topic;
  }

  /** The number of keys (users) visible on a topic. */
  int count(String topic) {
    TopicView view = topics.get(topic);
    return view == null ? 0 : view.keys.size();
  }

  /** The visible presences of a topic as fresh mutable maps: key → {@code {"metas": [...]}}. */
  Map<String, Map<String, Object>> list(String topic) {
    Map<String, Map<String, Object>> presences = new LinkedHashMap<>();
    TopicView view = topics.get(topic);
    if (view != null) {
      view.keys.forEach((key, presence) -> presences.put(key, presence(presence.metas)));
    }
    return presences;
  }

  /** The {@code presence_state} payload of a topic, encoded once and shared (see the class comment). */
  Payload state(String topic) {
    TopicView view = topics.get(topic);
    if (view == null) {
      return EMPTY;
    }
    SharedState shared = view.shared;
    if (shared != null && shared.applied() >= view.sent) {
      return shared.payload();
    }
    long applied = view.applied; // read before the keys: the state holds at least these changes
    List<byte[]> parts = new ArrayList<>(view.keys.size());
    int size = 2;
    for (Map.Entry<String, KeyPresence> entry : view.keys.entrySet()) {
      byte[] part = entry.getValue().encoded(entry.getKey());
      parts.add(part);
      size += part.length + 1;
    }
    byte[] json = new byte[parts.isEmpty() ? 2 : size - 1];
    json[0] = '{';
    int at = 1;
    for (byte[] part : parts) {
      if (at > 1) {
        json[at++] = ',';
      }
      System.arraycopy(part, 0, json, at, part.length);
      at += part.length;
    }
    json[at] = '}';
    Payload payload = EncodedJson.payload(json);
    if (shared == null || shared.applied() < applied) {
      view.shared = new SharedState(applied, payload); // racing builders: either result is valid
    }
    return payload;
  }

  static Map<String, Object> presence(List<Map<String, Object>> metas) {
    Map<String, Object> presence = new LinkedHashMap<>();
    presence.put("metas", metas);
    return presence;
  }
}
