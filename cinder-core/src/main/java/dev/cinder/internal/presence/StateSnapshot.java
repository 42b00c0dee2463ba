package dev.cinder.internal.presence;

import java.util.List;
import java.util.Map;

/**
 * A replica's full state, or the part of it another replica asked for in a transfer: the highest clock seen
 * per replica ({@code context}) and every element of those replicas it holds.
 */
public record StateSnapshot(Map<ReplicaRef, Long> context, List<Element> elements) {}
