package dev.cinder.internal.presence;

import java.time.Duration;

/**
 * The timing of a tracker; {@code PresenceOptions} builds and checks it.
 *
 * @param name names the replication topic {@code "phx_presence:<name>"}, the same on every node
 * @param broadcastPeriod the heartbeat period
 * @param maxSilentPeriods periods without a delta after which an empty heartbeat is sent anyway
 * @param downPeriod silence after which a replica is down (its presences leave, hidden but kept)
 * @param permdownPeriod silence after which a replica is forgotten
 * @param clockSamplePeriods periods between checks for replicas that are ahead (then: transfer)
 * @param permdownOnShutdown whether {@link Tracker#close()} tells peers to forget this replica at once
 */
public record TrackerConfig(String name, Duration broadcastPeriod, int maxSilentPeriods, Duration downPeriod,
    Duration permdownPeriod, int clockSamplePeriods, boolean permdownOnShutdown) {}
