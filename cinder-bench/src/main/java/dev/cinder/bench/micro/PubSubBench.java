package dev.cinder.bench.micro;

import dev.cinder.Payload;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.pubsub.Subscriber;
import dev.cinder.internal.serializer.V2JsonSerializer;
import dev.cinder.pubsub.LocalPubSub;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link LocalPubSub} dispatch of one broadcast to 1, 100 and 10,000 subscribers: {@code noop} subscribers
 * measure the dispatch loop alone; {@code fastlane} subscribers fetch the shared V2 frame as a channel does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PubSubBench {
  @Param({"1", "100", "10000"})
  public int subscribers;

  private LocalPubSub noop;
  private LocalPubSub fastlane;
  private final Payload payload = Payload.parse("{\"body\":\"hello, world\",\"user_id\":\"alice\"}");

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    noop = new LocalPubSub();
    fastlane = new LocalPubSub();
    Subscriber nothing = d -> { };
    for (int i = 0; i < subscribers; i++) {
      Fanout.of(noop).subscribeShared("room:lobby", new NoOp());
      Fanout.of(fastlane).subscribeShared("room:lobby", d -> bh.consume(d.frame(V2JsonSerializer.INSTANCE)));
    }
    Fanout.of(noop).subscribeShared("room:other", nothing);
  }

  @Benchmark
  public void noop() {
    noop.broadcast("room:lobby", "new_msg", payload);
  }

  @Benchmark
  public void fastlane() {
    fastlane.broadcast("room:lobby", "new_msg", payload);
  }

  /** A distinct instance per subscription: the set holds each subscriber once. */
  private static final class NoOp implements Subscriber {
    @Override
    public void deliver(dev.cinder.internal.pubsub.Dispatch dispatch) {
    }
  }
}
