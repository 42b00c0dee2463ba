package dev.cinder.redis;

import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.pubsub.Subscriber;
import dev.cinder.testkit.RedisServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;

/**
 * Compares the two {@link ChannelMapping}s on loopback: two nodes in this JVM on one redis-server of its
 * own, 1, 100 and 10,000 topics, each topic subscribed on one node only except every 10th (and the single
 * topic), which both nodes subscribe. Both nodes publish JSON broadcasts round-robin over all topics.
 * Bounded: a fixed number of broadcasts per run. Not a test; run by hand (see docs/cluster.md):
 * <pre>java -XX:+UseZGC -cp ... dev.cinder.redis.ChannelMappingBenchmark [broadcastsPerNode] [latencySeconds] [rounds] [pacedRate]</pre>
 *
 * <p>Phase 1 publishes as fast as the cross-node deliveries keep up, with at most {@value #WINDOW} of them
 * outstanding (a closed loop, so no queue builds up anywhere), and measures broadcasts per second until
 * every cross-node delivery has arrived; phase 2 publishes at half that rate and measures cross-node
 * latency (p50, p99).
 */
public final class ChannelMappingBenchmark {
  private static final String BODY = "x".repeat(80);
  private static final int WINDOW = 2_000;

  public static void main(String[] args) throws Exception {
    int perNode = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int latencySeconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int pacedRate = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
    try (RedisServer redis = RedisServer.launch()) {
      int run = 0;
      for (ChannelMapping mapping : ChannelMapping.values()) { // warm-up, not reported
        new Scenario(redis, "warm" + run++, mapping, 100).run(perNode / 4, 1, pacedRate);
      }
      Map<String, List<Result>> results = new TreeMap<>();
      for (int round = 0; round < rounds; round++) {
        for (int topics : new int[] {1, 100, 10_000}) {
          List<ChannelMapping> order = new ArrayList<>(List.of(ChannelMapping.values()));
          if (round % 2 == 1) {
            Collections.reverse(order); // neither mapping always runs first
          }
          for (ChannelMapping mapping : order) {
            Result result = new Scenario(redis, "bench" + run++, mapping, topics).run(perNode, latencySeconds, pacedRate);
            System.out.println("round " + round + ": " + result);
            results.computeIfAbsent(String.format(Locale.ROOT, "%05d %s", topics, mapping), k -> new ArrayList<>())
                .add(result);
          }
        }
      }
      System.out.printf("%nmedians of %d rounds, %d broadcasts per node, latency at %d broadcasts/s%n",
          rounds, perNode, pacedRate);
      System.out.printf("%-9s %7s %13s %11s %8s %8s %13s %12s %14s %13s%n", "mapping", "topics", "broadcasts/s",
          "cross/s", "p50 ms", "p99 ms", "JVM µs/bcast", "I/O µs/bcast", "Redis µs/bcast", "Redis B/bcast");
      for (List<Result> list : results.values()) {
        Result first = list.getFirst();
        System.out.printf(Locale.ROOT, "%-9s %7d %13.0f %11.0f %8.2f %8.2f %13.1f %12.1f %14.1f %13.0f%n",
            first.mapping(), first.topics(), median(list, Result::rate), median(list, Result::crossRate),
            median(list, Result::p50), median(list, Result::p99), median(list, Result::jvmMicros),
            median(list, Result::ioMicros), median(list, Result::redisMicros), median(list, Result::redisBytes));
      }
    }
  }

  /** One run's figures: rates per second, latencies in ms, CPU in µs per broadcast. */
  record Result(ChannelMapping mapping, int topics, double rate, double crossRate, double p50, double p99,
      double jvmMicros, double ioMicros, double redisMicros, double redisBytes, long lost) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s %d topics: %.0f bcast/s, %.0f cross/s, p50 %.2f ms, p99 %.2f ms, "
          + "JVM %.1f µs (I/O threads %.1f µs), Redis %.1f µs, %.0f B out per bcast%s", mapping, topics, rate,
          crossRate, p50, p99, jvmMicros, ioMicros, redisMicros, redisBytes, lost > 0 ? ", " + lost + " lost" : "");
    }
  }

  /** Counts the cross-node deliveries of one node and records their latencies. */
  private static final class Receiver implements Subscriber {
    private final String node;
    private final AtomicLong crossed = new AtomicLong();
    private final AtomicInteger recorded = new AtomicInteger();
    private volatile long[] latencies = new long[0];

    Receiver(String node) {
      this.node = node;
    }

    @Override
    public void deliver(Dispatch dispatch) {
      if (dispatch.broadcast().event().equals(node)) {
        return; // published on this node: local delivery, not what we measure
      }
      crossed.incrementAndGet();
      long[] sink = latencies;
      int i = recorded.getAndIncrement();
      if (i < sink.length) {
        sink[i] = System.nanoTime() - dispatch.broadcast().payload().field("ts").asLong();
      }
    }

    void recordLatencies(int capacity) {
      latencies = new long[capacity];
      recorded.set(0);
    }

    long[] latencies() {
      return Arrays.copyOf(latencies, Math.min(recorded.get(), latencies.length));
    }
  }

  private record Scenario(RedisServer redis, String prefix, ChannelMapping mapping, int topics) {
    Result run(int perNode, int latencySeconds, int pacedRate) throws Exception {
      List<Node> nodes = new ArrayList<>();
      List<Receiver> receivers = new ArrayList<>();
      for (String name : List.of("a", "b")) {
        nodes.add(Node.start(RedisPubSubOptions.of(redis.url(), name).channelPrefix(prefix).mapping(mapping)
            .maxInFlight(100_000)));
        receivers.add(new Receiver(name));
      }
      boolean[][] wanted = subscribe(nodes, receivers);
      long expected = 0; // cross-node deliveries when each node publishes perNode broadcasts round-robin
      for (int i = 0; i < perNode; i++) {
        expected += (wanted[0][i % topics] ? 1 : 0) + (wanted[1][i % topics] ? 1 : 0);
      }

      long cpu0 = jvmCpuNanos();
      long io0 = lettuceCpuNanos();
      long redisCpu0 = redisCpuMicros();
      long redisBytes0 = redisInfo("stats", "total_net_output_bytes");
      long start = System.nanoTime();
      publish(nodes, perNode, 0, wanted, receivers);
      while (crossed(receivers) < expected) {
        if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(120)) {
          throw new IllegalStateException("deliveries missing: " + crossed(receivers) + " of " + expected);
        }
        Thread.sleep(1);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuMicros = (jvmCpuNanos() - cpu0) / 1e3 / (2.0 * perNode);
      double ioMicros = (lettuceCpuNanos() - io0) / 1e3 / (2.0 * perNode);
      double redisMicros = (redisCpuMicros() - redisCpu0) / (2.0 * perNode);
      double redisBytes = (redisInfo("stats", "total_net_output_bytes") - redisBytes0) / (2.0 * perNode);
      double rate = 2.0 * perNode / seconds;

      int paced = pacedRate / 2 * latencySeconds; // per node, each at half the rate
      for (Receiver receiver : receivers) {
        receiver.recordLatencies(paced * 2 + 1_000);
      }
      publish(nodes, paced, pacedRate / 2.0, wanted, receivers);
      Thread.sleep(500);
      long[] latencies = merge(receivers.get(0).latencies(), receivers.get(1).latencies());

      long lost = nodes.stream().mapToLong(n -> n.adapter().undeliveredCount()).sum();
      nodes.forEach(Node::close);
      return new Result(mapping, topics, rate, expected / seconds, percentile(latencies, 0.50),
          percentile(latencies, 0.99), cpuMicros, ioMicros, redisMicros, redisBytes, lost);
    }

    /** Topic t on node t % 2, and on both nodes for every 10th topic; waits for Redis to confirm. */
    private boolean[][] subscribe(List<Node> nodes, List<Receiver> receivers) throws InterruptedException {
      boolean[][] wanted = new boolean[2][topics];
      for (int t = 0; t < topics; t++) {
        for (int n = 0; n < 2; n++) {
          if (topics == 1 || t % 10 == 0 || t % 2 == n) {
            wanted[n][t] = true;
            Fanout.of(nodes.get(n).pubSub()).subscribeShared(topic(t), receivers.get(n));
          }
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (int n = 0; n < 2; n++) {
        for (int t = 0; t < topics; t++) {
          while (wanted[n][t] && !nodes.get(n).adapter().listening(topic(t))) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("subscriptions not confirmed");
            }
            Thread.sleep(5);
          }
        }
      }
      return wanted;
    }

    /**
     * Each node publishes {@code count} broadcasts from its own thread, at {@code perSecond} or, when that is
     * 0, as fast as the window of outstanding cross-node deliveries allows.
     */
    private void publish(List<Node> nodes, int count, double perSecond, boolean[][] wanted, List<Receiver> receivers)
        throws InterruptedException {
      long crossedBefore = crossed(receivers);
      AtomicLong sent = new AtomicLong(); // cross-node deliveries the broadcasts so far will cause
      Thread[] threads = new Thread[nodes.size()];
      for (int n = 0; n < nodes.size(); n++) {
        Node node = nodes.get(n);
        boolean[] remote = wanted[1 - n];
        threads[n] = Thread.ofPlatform().start(() -> {
          long begin = System.nanoTime();
          for (int i = 0; i < count; i++) {
            if (perSecond > 0) {
              long wait = begin + (long) (i * 1e9 / perSecond) - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
            } else {
              while (sent.get() - (crossed(receivers) - crossedBefore) > WINDOW) {
                LockSupport.parkNanos(50_000); // not a spin: two cores, and the receivers need one
              }
            }
            node.pubSub().broadcast(topic(i % topics), node.name(), Map.of("ts", System.nanoTime(), "body", BODY));
            if (remote[i % topics]) {
              sent.incrementAndGet();
            }
          }
        });
      }
      for (Thread thread : threads) {
        thread.join();
      }
    }

    private long redisCpuMicros() throws Exception {
      return redisInfo("cpu", "used_cpu_sys") + redisInfo("cpu", "used_cpu_user");
    }

    /** A figure from INFO; CPU seconds come back as µs. */
    private long redisInfo(String section, String field) throws Exception {
      for (String line : redis.bulkCommand("INFO", section).split("\r\n")) {
        if (line.startsWith(field + ":")) {
          double value = Double.parseDouble(line.substring(field.length() + 1));
          return section.equals("cpu") ? (long) (value * 1e6) : (long) value;
        }
      }
      throw new IllegalStateException("no " + field + " in INFO " + section);
    }
  }

  private static long crossed(List<Receiver> receivers) {
    return receivers.stream().mapToLong(r -> r.crossed.get()).sum();
  }

  private static String topic(int t) {
    return "room:" + t;
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU of Lettuce's threads: encoding publishes, reading Redis's pushes and our inbound path, not JSON building. */
  private static long lettuceCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("lettuce-")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  private static long[] merge(long[] a, long[] b) {
    long[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    Arrays.sort(all);
    return all;
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static double median(List<Result> results, ToDoubleFunction<Result> figure) {
    double[] values = results.stream().mapToDouble(figure).sorted().toArray();
    return values[values.length / 2];
  }
}
