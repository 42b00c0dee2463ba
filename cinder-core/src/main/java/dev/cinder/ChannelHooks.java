package dev.cinder;

import dev.cinder.telemetry.Telemetry;

/**
 * The part of a channel that libraries built on top of channels use ({@code Presence} ties a presence to the
 * channel's life, a rate limiter reports refusals): reached through {@link ChannelContext#hooks()}, kept apart
 * from what a channel itself does so that {@link ChannelContext} stays the short list a channel author reads.
 * Thread-safe.
 */
public interface ChannelHooks {
  /**
   * Registers a hook that runs once when this channel ends for any reason, right after
   * {@link Channel#terminate} (or when its join is refused), and at once if the channel has already ended;
   * for libraries that tie state to the channel's life (Presence untracks here).
   */
  void onTerminate(Runnable hook);

  /** The endpoint's telemetry, for libraries that report events (a rate limiter's refusals, for one). */
  Telemetry telemetry();

  /** The endpoint's PubSub, to broadcast to other topics or subscribe. */
  PubSub pubSub();
}
