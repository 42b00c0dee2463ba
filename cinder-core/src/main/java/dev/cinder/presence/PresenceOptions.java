package dev.cinder.presence;

import dev.cinder.internal.presence.TrackerConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Settings of a {@link Presence}, immutable: start from {@link #defaults()} (phoenix_pubsub's) and
 * change them with the same-named methods, each returning a changed copy. Short periods make fast tests.
 */
public final class PresenceOptions {
  /** The settable values; a copy is changed by {@link #with}. */
  private static final class Values implements Cloneable {
    String name = "presence";
    Duration broadcastPeriod = Duration.ofMillis(1500);
    int maxSilentPeriods = 10;
    Duration downPeriod; // null: broadcastPeriod × maxSilentPeriods × 2
    Duration permdownPeriod = Duration.ofMinutes(20);
    int clockSamplePeriods = 2;
    boolean permdownOnShutdown;
    Duration diffWindow = Duration.ofMillis(20);
    InstantSource clock = InstantSource.system();
    PresenceFetch fetch = PresenceFetch.none();
    boolean fetchSet; // a fetch hook was given: presence_state cannot be shared
    Predicate<String> countOnly = topic -> false;
    int shards = 4;
    int diffFramesPerSecond = 20_000;

    @Override
    protected Values clone() {
      try {
        return (Values) super.clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static final PresenceOptions DEFAULTS = new PresenceOptions(new Values());

  private final Values v;

  private PresenceOptions(Values values) {
    this.v = values;
  }

  /**
   * Broadcast every 1.5 s, empty heartbeat after 10 silent periods, down after 30 s, permdown after 20 min,
   * clock sampling every 2 periods, no permdown on shutdown, diffs merged over 20 ms, system clock, no fetch,
   * no count-only topics, 4 tracker shards, at most 20,000 diff frames a second per large topic.
   */
  public static PresenceOptions defaults() {
    return DEFAULTS;
  }

  private PresenceOptions with(Consumer<Values> change) {
    Values copy = v.clone();
    change.accept(copy);
    return new PresenceOptions(copy);
  }

  private static Duration positive(Duration value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
    return value;
  }

  /**
   * The tracker's name: replicas share the topic {@code "phx_presence:<name>"} (one per shard, see
   * {@link #shards()}); the same on every node.
   */
  public String name() {
    return v.name;
  }

  public PresenceOptions name(String value) {
    Objects.requireNonNull(value, "name");
    return with(c -> c.name = value);
  }

  /** How often a replica heartbeats its changes to the others. */
  public Duration broadcastPeriod() {
    return v.broadcastPeriod;
  }

  public PresenceOptions broadcastPeriod(Duration value) {
    positive(value, "broadcastPeriod");
    return with(c -> c.broadcastPeriod = value);
  }

  /** After this many periods without changes, an empty heartbeat is sent anyway. */
  public int maxSilentPeriods() {
    return v.maxSilentPeriods;
  }

  public PresenceOptions maxSilentPeriods(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("maxSilentPeriods must be at least 1");
    }
    return with(c -> c.maxSilentPeriods = value);
  }

  /**
   * A replica silent this long is down: its presences leave (kept in case it comes back). Null means
   * {@code broadcastPeriod × maxSilentPeriods × 2}; it must exceed the idle heartbeat interval.
   */
  public Duration downPeriod() {
    return v.downPeriod;
  }

  public PresenceOptions downPeriod(Duration value) {
    return with(c -> c.downPeriod = value == null ? null : positive(value, "downPeriod"));
  }

  /** A replica silent this long is forgotten; longer than the down period. */
  public Duration permdownPeriod() {
    return v.permdownPeriod;
  }

  public PresenceOptions permdownPeriod(Duration value) {
    positive(value, "permdownPeriod");
    return with(c -> c.permdownPeriod = value);
  }

  /** How many periods between checks for replicas that are ahead (then a transfer). */
  public int clockSamplePeriods() {
    return v.clockSamplePeriods;
  }

  public PresenceOptions clockSamplePeriods(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("clockSamplePeriods must be at least 1");
    }
    return with(c -> c.clockSamplePeriods = value);
  }

  /** Whether {@link Presence#close()} tells the others to forget this node at once. */
  public boolean permdownOnShutdown() {
    return v.permdownOnShutdown;
  }

  public PresenceOptions permdownOnShutdown(boolean value) {
    return with(c -> c.permdownOnShutdown = value);
  }

  /** {@code presence_diff}s of a topic are merged over this window when changes come fast; zero sends at once. */
  public Duration diffWindow() {
    return v.diffWindow;
  }

  public PresenceOptions diffWindow(Duration value) {
    Objects.requireNonNull(value, "diffWindow");
    if (value.isNegative()) {
      throw new IllegalArgumentException("diffWindow must not be negative");
    }
    return with(c -> c.diffWindow = value);
  }

  /**
   * How many {@code presence_diff} frames a second one large topic may cost this node during a storm (20,000 by
   * default; 0 turns the limit off): after a diff to a topic of s subscribers, the next diff waits at least
   * s / this (at most 1 s), longer than {@link #diffWindow()} once s exceeds 400. Clients then get fewer, larger
   * diffs; what they show is the same.
   */
  public int diffFramesPerSecond() {
    return v.diffFramesPerSecond;
  }

  public PresenceOptions diffFramesPerSecond(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("diffFramesPerSecond must not be negative");
    }
    return with(c -> c.diffFramesPerSecond = value);
  }

  /** The time source for {@code phx_ref}s, versions and down detection. */
  public InstantSource clock() {
    return v.clock;
  }

  public PresenceOptions clock(InstantSource value) {
    Objects.requireNonNull(value, "clock");
    return with(c -> c.clock = value);
  }

  /** Enriches listed presences and diffs. */
  public PresenceFetch fetch() {
    return v.fetch;
  }

  public PresenceOptions fetch(PresenceFetch value) {
    Objects.requireNonNull(value, "fetch");
    return with(c -> {
      c.fetch = value;
      c.fetchSet = true;
    });
  }

  /**
   * The topics whose members receive counts, not lists: for these, {@link Presence#pushState} pushes
   * {@code presence_count} {@code {"count": N}} (N: the number of keys, i.e. users, present) instead of
   * {@code presence_state}, and every change is broadcast as {@code presence_count} with the new count instead
   * of {@code presence_diff}. For huge topics, where each joiner's list and every diff would cost every member
   * bytes in proportion to the topic. None by default.
   */
  public Predicate<String> countOnly() {
    return v.countOnly;
  }

  public PresenceOptions countOnly(Predicate<String> topics) {
    Objects.requireNonNull(topics, "topics");
    return with(c -> c.countOnly = topics);
  }

  /**
   * How many trackers share the topics (by hash of the topic), each with its own lock and replication topic
   * ({@code "phx_presence:<name>_shard<i>"}; with one shard, {@code "phx_presence:<name>"}). 4 by default; must be
   * the same on every node of a cluster, since a topic's presences replicate only between equal shards.
   */
  public int shards() {
    return v.shards;
  }

  public PresenceOptions shards(int value) {
    if (value < 1 || value > 256) {
      throw new IllegalArgumentException("shards must be between 1 and 256, got " + value);
    }
    return with(c -> c.shards = value);
  }

  /** Whether a fetch hook was set (then every list and state is fetched anew). */
  boolean fetchSet() {
    return v.fetchSet;
  }

  /** The down period in force: the one set, or {@code broadcastPeriod × maxSilentPeriods × 2}. */
  public Duration effectiveDownPeriod() {
    return v.downPeriod != null ? v.downPeriod : v.broadcastPeriod.multipliedBy(v.maxSilentPeriods * 2L);
  }

  /** The settings of shard {@code shard}'s tracker, named after the shard when there are several. */
  TrackerConfig trackerConfig(int shard) {
    TrackerConfig config = trackerConfig();
    if (v.shards == 1) {
      return config;
    }
    return new TrackerConfig(v.name + "_shard" + shard, config.broadcastPeriod(), config.maxSilentPeriods(),
        config.downPeriod(), config.permdownPeriod(), config.clockSamplePeriods(), config.permdownOnShutdown());
  }

  /** Checks the periods against each other and builds the tracker's settings. */
  TrackerConfig trackerConfig() {
    Duration down = effectiveDownPeriod();
    if (down.compareTo(v.broadcastPeriod.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("downPeriod must be at least 2 × broadcastPeriod");
    }
    // An idle replica heartbeats only every maxSilentPeriods periods: a shorter down period would mark
    // healthy, quiet peers down between two heartbeats (their users would leave and rejoin over and over).
    if (down.compareTo(v.broadcastPeriod.multipliedBy(v.maxSilentPeriods + 1L)) <= 0) {
      throw new IllegalArgumentException("downPeriod (" + down.toMillis() + " ms) must exceed the idle heartbeat interval, "
          + "broadcastPeriod × (maxSilentPeriods + 1) = " + v.broadcastPeriod.multipliedBy(v.maxSilentPeriods + 1L).toMillis()
          + " ms: lower maxSilentPeriods or raise downPeriod");
    }
    if (v.permdownPeriod.compareTo(down) <= 0) {
      throw new IllegalArgumentException("permdownPeriod must be longer than downPeriod");
    }
    return new TrackerConfig(v.name, v.broadcastPeriod, v.maxSilentPeriods, down, v.permdownPeriod,
        v.clockSamplePeriods, v.permdownOnShutdown);
  }
}
