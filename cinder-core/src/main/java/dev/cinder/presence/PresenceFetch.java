package dev.cinder.presence;

import java.util.Map;

/**
 * Enriches presences before anyone sees them (Phoenix's {@code fetch/2}): applied to {@link Presence#list}
 * (so to {@code presence_state}) and to both halves of every {@code presence_diff}. Typical use: load the
 * users of all keys in one query and add them next to {@code "metas"}:
 *
 * <pre>{@code
 * (topic, presences) -> {
 *   Map<String, User> users = db.usersByIds(presences.keySet());
 *   presences.forEach((id, presence) -> presence.put("user", users.get(id)));
 *   return presences;
 * }
 * }</pre>
 *
 * <p>{@code presences} maps each key to a fresh, mutable {@code {"metas": [...]}} map; the metas list itself is
 * immutable. Return the map to send (this one, changed, or a new one); keep {@code "metas"}, since clients
 * match metas by {@code phx_ref}. Runs on the thread calling {@code list}, or on Presence's diff publisher
 * (one diff at a time, in order); it may block.
 */
@FunctionalInterface
public interface PresenceFetch {
  Map<String, Map<String, Object>> fetch(String topic, Map<String, Map<String, Object>> presences);

  /** Sends presences as they are. */
  static PresenceFetch none() {
    return (topic, presences) -> presences;
  }
}
