package dev.cinder.bench.client;

import java.util.concurrent.atomic.LongAdder;

/** Whole-fleet counts that every scenario reports beside its own. */
public final class Counters {
  public final LongAdder heartbeatReplies = new LongAdder();
  public final LongAdder badFrames = new LongAdder();
  public final LongAdder unexpectedCloses = new LongAdder();
}
