package dev.cinder.presence;

import dev.cinder.presence.tracker.TrackerConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Settings of a {@link Presence}, immutable; start from {@link #defaults()} (phoenix_pubsub's, spec §9.3) and
 * change them with the same-named methods, each returning a changed copy. Short periods make fast tests.
 *
 * @param name the tracker's name: replicas share the topic {@code "phx_presence:<name>"}; same on every node
 * @param broadcastPeriod how often a replica heartbeats its changes to the others
 * @param maxSilentPeriods after this many periods without changes, an empty heartbeat is sent anyway
 * @param downPeriod a replica silent this long is down: its presences leave (kept in case it comes back);
 *     null means {@code broadcastPeriod × maxSilentPeriods × 2}; at least {@code 2 × broadcastPeriod}
 * @param permdownPeriod a replica silent this long is forgotten; longer than the down period
 * @param clockSamplePeriods how many periods between checks for replicas that are ahead (then a transfer)
 * @param permdownOnShutdown whether {@link Presence#close()} tells the others to forget this node at once
 * @param diffWindow {@code presence_diff}s of a topic are merged over this window when changes come fast;
 *     zero sends each at once (see {@link Presence})
 * @param clock the time source for {@code phx_ref}s, versions and down detection
 * @param fetch enriches listed presences and diffs
 */
public record PresenceOptions(
    String name,
    Duration broadcastPeriod,
    int maxSilentPeriods,
    Duration downPeriod,
    Duration permdownPeriod,
    int clockSamplePeriods,
    boolean permdownOnShutdown,
    Duration diffWindow,
    InstantSource clock,
    PresenceFetch fetch) {

  public PresenceOptions {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(broadcastPeriod, "broadcastPeriod");
    Objects.requireNonNull(permdownPeriod, "permdownPeriod");
    Objects.requireNonNull(diffWindow, "diffWindow");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(fetch, "fetch");
    if (broadcastPeriod.isNegative() || broadcastPeriod.isZero()) {
      throw new IllegalArgumentException("broadcastPeriod must be positive");
    }
    if (maxSilentPeriods < 1 || clockSamplePeriods < 1) {
      throw new IllegalArgumentException("maxSilentPeriods and clockSamplePeriods must be at least 1");
    }
    if (diffWindow.isNegative()) {
      throw new IllegalArgumentException("diffWindow must not be negative");
    }
  }

  /**
   * Broadcast every 1.5 s, empty heartbeat after 10 silent periods, down after 30 s, permdown after 20 min,
   * clock sampling every 2 periods, no permdown on shutdown, diffs merged over 20 ms, system clock, no fetch.
   */
  public static PresenceOptions defaults() {
    return new PresenceOptions("presence", Duration.ofMillis(1500), 10, null, Duration.ofMinutes(20), 2, false,
        Duration.ofMillis(20), InstantSource.system(), PresenceFetch.none());
  }

  /** The down period in force: the one set, or {@code broadcastPeriod × maxSilentPeriods × 2}. */
  public Duration effectiveDownPeriod() {
    return downPeriod != null ? downPeriod : broadcastPeriod.multipliedBy(maxSilentPeriods * 2L);
  }

  /** Checks the periods against each other and builds the tracker's settings. */
  TrackerConfig trackerConfig() {
    Duration down = effectiveDownPeriod();
    if (down.compareTo(broadcastPeriod.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("downPeriod must be at least 2 × broadcastPeriod");
    }
    // An idle replica heartbeats only every maxSilentPeriods periods: a shorter down period would mark
    // healthy, quiet peers down between two heartbeats (their users would leave and rejoin over and over).
    if (down.compareTo(broadcastPeriod.multipliedBy(maxSilentPeriods + 1L)) <= 0) {
      throw new IllegalArgumentException("downPeriod (" + down.toMillis() + " ms) must exceed the idle heartbeat interval, "
          + "broadcastPeriod × (maxSilentPeriods + 1) = " + broadcastPeriod.multipliedBy(maxSilentPeriods + 1L).toMillis()
          + " ms: lower maxSilentPeriods or raise downPeriod");
    }
    if (permdownPeriod.compareTo(down) <= 0) {
      throw new IllegalArgumentException("permdownPeriod must be longer than downPeriod");
    }
    return new TrackerConfig(name, broadcastPeriod, maxSilentPeriods, down, permdownPeriod, clockSamplePeriods,
        permdownOnShutdown);
  }

  public PresenceOptions name(String value) {
    return new PresenceOptions(value, broadcastPeriod, maxSilentPeriods, downPeriod, permdownPeriod,
        clockSamplePeriods, permdownOnShutdown, diffWindow, clock, fetch);
  }

  public PresenceOptions broadcastPeriod(Duration value) {
    return new PresenceOptions(name, value, maxSilentPeriods, downPeriod, permdownPeriod, clockSamplePeriods,
        permdownOnShutdown, diffWindow, clock, fetch);
  }

  public PresenceOptions maxSilentPeriods(int value) {
    return new PresenceOptions(name, broadcastPeriod, value, downPeriod, permdownPeriod, clockSamplePeriods,
        permdownOnShutdown, diffWindow, clock, fetch);
  }

  public PresenceOptions downPeriod(Duration value) {
    return new PresenceOptions(name, broadcastPeriod, maxSilentPeriods, value, permdownPeriod, clockSamplePeriods,
        permdownOnShutdown, diffWindow, clock, fetch);
  }

  public PresenceOptions permdownPeriod(Duration value) {
    return new PresenceOptions(name, broadcastPeriod, maxSilentPeriods, downPeriod, value, clockSamplePeriods,
        permdownOnShutdown, diffWindow, clock, fetch);
  }

  public PresenceOptions clockSamplePeriods(int value) {
    return new PresenceOptions(name, broadcastPeriod, maxSilentPeriods, downPeriod, permdownPeriod, value,
        permdownOnShutdown, diffWindow, clock, fetch);
  }

  public PresenceOptions permdownOnShutdown(boolean value) {
    return new PresenceOptions(name, broadcastPeriod, maxSilentPeriods, downPeriod, permdownPeriod,
        clockSamplePeriods, value, diffWindow, clock, fetch);
  }

  public PresenceOptions diffWindow(Duration value) {
    return new PresenceOptions(name, broadcastPeriod, maxSilentPeriods, downPeriod, permdownPeriod,
        clockSamplePeriods, permdownOnShutdown, value, clock, fetch);
  }

  public PresenceOptions clock(InstantSource value) {
    return new PresenceOptions(name, broadcastPeriod, maxSilentPeriods, downPeriod, permdownPeriod,
        clockSamplePeriods, permdownOnShutdown, diffWindow, value, fetch);
  }

  public PresenceOptions fetch(PresenceFetch value) {
    return new PresenceOptions(name, broadcastPeriod, maxSilentPeriods, downPeriod, permdownPeriod,
        clockSamplePeriods, permdownOnShutdown, diffWindow, clock, value);
  }
}
