package dev.cinder.client;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One presence key and its metas.
 *
 * @param key the presence key (a user id, say)
 * @param metas the metas, one per tracked entry of the key, each with its {@code phx_ref}
 * @param value the whole {@code {"metas":[...], ...}} object as the server sent it (with these metas)
 */
public record PresenceEntry(String key, List<JsonNode> metas, JsonNode value) {
  /**
   * Copies the metas.
   *
   * @param key the key
   * @param metas the metas
   * @param value the whole object
   */
  public PresenceEntry {
    metas = List.copyOf(metas);
  }
}
