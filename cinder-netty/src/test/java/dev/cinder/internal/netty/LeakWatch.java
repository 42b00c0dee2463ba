package dev.cinder.internal.netty;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's leak detector, with its reports collected here so that a test can fail on them rather than only log
 * them. A leak is found when the leaked buffer is garbage collected and a later buffer is allocated, so a report
 * may come a little after the input that caused it; {@link #collect} forces a collection first.
 */
final class LeakWatch {
  private static final List<String> leaks = new ArrayList<>();

  private LeakWatch() {}

  /** Turns detection on at {@code level} ({@code PARANOID}: every buffer); fails loudly if it cannot. */
  static synchronized void install(ResourceLeakDetector.Level level) {
    ResourceLeakDetector.setLevel(level);
    try {
      var field = AbstractByteBuf.class.getDeclaredField("leakDetector");
      field.setAccessible(true);
      @SuppressWarnings("unchecked")
      ResourceLeakDetector<ByteBuf> detector = (ResourceLeakDetector<ByteBuf>) field.get(null);
      detector.setLeakListener((type, records) -> {
        synchronized (LeakWatch.class) {
          leaks.add(type + " leaked:\n" + records);
        }
      });
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot watch Netty's buffer leak detector", e);
    }
  }

  /** The leaks reported since the last call. */
  static synchronized List<String> drain() {
    List<String> found = new ArrayList<>(leaks);
    leaks.clear();
    return found;
  }

  /** Collects garbage, then lets the detector look (it does so when a buffer is allocated); then {@link #drain}. */
  static List<String> collect() {
    System.gc();
    for (int i = 0; i < 4; i++) {
      io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(1).release();
      Thread.onSpinWait();
    }
    return drain();
  }
}
