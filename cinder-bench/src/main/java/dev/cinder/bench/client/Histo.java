package dev.cinder.bench.client;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** A latency histogram in microseconds, recordable from any thread and shippable between processes as text. */
public final class Histo {
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);
  private final ConcurrentHistogram histogram = new ConcurrentHistogram(MAX_MICROS, 3);

  public void recordMicros(long nanos) {
    record(nanos / 1_000);
  }

  /** Records a value in µs, clamped to the histogram's range (a negative clock skew counts as 0). */
  public void record(long micros) {
    histogram.recordValue(Math.max(0, Math.min(MAX_MICROS, micros)));
  }

  public void reset() {
    histogram.reset();
  }

  /** Compressed, Base64: merged by the runner with {@link #decode}. */
  public String encode() {
    Histogram copy = histogram.copy();
    ByteBuffer buffer = ByteBuffer.allocate(copy.getNeededByteBufferCapacity());
    int length = copy.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
  }

  public static Histogram decode(String text) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
    } catch (java.util.zip.DataFormatException e) {
      throw new IllegalArgumentException("bad histogram", e);
    }
  }
}
