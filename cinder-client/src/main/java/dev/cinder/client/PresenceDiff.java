package dev.cinder.client;

import java.util.Map;

/**
 * A {@code presence_diff}: the metas that joined and those that left, per key.
 *
 * @param joins the joined metas per key
 * @param leaves the left metas per key
 */
public record PresenceDiff(Map<String, PresenceEntry> joins, Map<String, PresenceEntry> leaves) {}
