package dev.cinder.internal.channel;

import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Puts a recovering channel's replay before its live broadcasts, and sends each position once. The channel
 * subscribes before it reads what its client missed, so a broadcast can arrive both live and in the replay: live
 * ones are held until the replay went out, then sent unless the replay already had them. After that it only drops
 * a live broadcast at or before the last position sent (a new epoch starts the count again).
 */
final class RecoveryGate {
  private final Consumer<Dispatch> send;
  private List<Dispatch> held = new ArrayList<>(); // null once open
  private Position last;

  RecoveryGate(Consumer<Dispatch> send) {
    this.send = send;
  }

  /** A live broadcast: held while the replay is pending, then sent unless already sent. */
  synchronized void offer(Dispatch dispatch) {
    if (held != null) {
      held.add(dispatch);
    } else {
      sendOnce(dispatch);
    }
  }

  /** The replay, then the live broadcasts held meanwhile; from now on broadcasts pass as they come. */
  synchronized void open(List<Dispatch> replay) {
    for (Dispatch dispatch : replay) {
      sendOnce(dispatch);
    }
    List<Dispatch> live = held;
    held = null;
    for (Dispatch dispatch : live) {
      sendOnce(dispatch);
    }
  }

  private void sendOnce(Dispatch dispatch) {
    Position position = dispatch.position();
    if (position != null) {
      if (last != null && last.epoch().equals(position.epoch()) && !position.after(last)) {
        return;
      }
      last = position;
    }
    send.accept(dispatch);
  }
}
