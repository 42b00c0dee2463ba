package dev.cinder.internal.pubsub;

import dev.cinder.PubSub;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Finds the fan-out behind the public PubSub classes, which keep it private: each class registers how to reach
 * it when the class initialises, before any of its instances exists. This keeps internal types out of the
 * exported classes' signatures without the exported package and this one depending on each other.
 */
public final class FanoutAccess {
  private static final Map<Class<?>, Function<PubSub, Fanout>> ACCESS = new ConcurrentHashMap<>();

  private FanoutAccess() {}

  /** Called once by a public PubSub class, from its static initialiser. */
  public static void register(Class<? extends PubSub> type, Function<PubSub, Fanout> access) {
    ACCESS.put(type, access);
  }

  /** The fan-out behind {@code pubSub}, or null for a class that registered none. */
  static Fanout find(PubSub pubSub) {
    Function<PubSub, Fanout> access = ACCESS.get(pubSub.getClass());
    return access == null ? null : access.apply(pubSub);
  }
}
