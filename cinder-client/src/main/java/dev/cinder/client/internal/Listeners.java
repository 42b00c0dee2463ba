package dev.cinder.client.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A list of callbacks that can be added from any thread and cancelled one by one. */
public final class Listeners<T> {
  private final List<T> list = new CopyOnWriteArrayList<>();

  /** Adds a callback; run the returned action to remove it. */
  public Runnable add(T listener) {
    // a wrapper per registration, so that adding one callback twice gives two independent registrations
    Object[] holder = {listener};
    list.add(listener);
    return () -> {
      if (holder[0] != null) {
        list.remove(holder[0]);
        holder[0] = null;
      }
    };
  }

  /** Calls every callback registered now. */
  public void forEach(Consumer<T> action) {
    for (T listener : list) {
      action.accept(listener);
    }
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }
}
