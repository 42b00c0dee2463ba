package dev.cinder.micrometer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client event names as tag values, bounded: clients choose event names, so each route keeps the first
 * {@code max} distinct ones it sees and calls the rest {@code "other"}.
 */
final class EventNames {
  private final int max;
  private final ConcurrentHashMap<String, Set<String>> byRoute = new ConcurrentHashMap<>();

  EventNames(int max) {
    this.max = max;
  }

  String bounded(String route, String event) {
    Set<String> names = byRoute.computeIfAbsent(route, r -> ConcurrentHashMap.newKeySet());
    if (names.contains(event)) {
      return event;
    }
    if (names.size() < max && names.add(event)) {
      return event;
    }
    return names.contains(event) ? event : "other";
  }
}
