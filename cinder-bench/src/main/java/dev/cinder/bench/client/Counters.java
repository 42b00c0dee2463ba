package dev.cinder.bench.client;

import java.util.concurrent.atomic.LongAdder;

/** Whole-fleet counts that every scenario reports beside its own; the last four are long-poll's alone. */
public final class Counters {
  public final LongAdder heartbeatReplies = new LongAdder();
  public final LongAdder badFrames = new LongAdder();
  public final LongAdder unexpectedCloses = new LongAdder();
  public final LongAdder pollsWithMessages = new LongAdder();
  public final LongAdder polledMessages = new LongAdder();
  public final LongAdder emptyPolls = new LongAdder();
  public final LongAdder posts = new LongAdder();
}
