package dev.cinder.internal.netty.drain;

import java.util.List;
import java.util.function.Consumer;

/** The live sockets of one transport (WebSocket connections, long-poll sessions), as a drain sees them. */
public interface DrainableSockets {
  /** The number of live sockets. */
  int size();

  /**
   * From now on no socket opens on this transport, and one that was opening anyway goes to {@code lateArrivals};
   * returns the sockets live now, for the drain to close in batches.
   */
  List<OpenSocket> startDraining(Consumer<OpenSocket> lateArrivals);
}
