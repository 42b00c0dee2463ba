package dev.cinder.bench.soak;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The soak clients of one generator process, all on one transport, spread over its epoll I/O threads and its own
 * loopback source addresses. A run: start the clients, let them live for the given time, then quiesce (no more
 * actions or reconnects) and report who is in which room; then {@link #verify} every client's presence lists
 * against that, and {@link #finish}: everyone leaves and disconnects.
 */
final class SoakFleet implements AutoCloseable {
  private static final long SETTLE_MILLIS = 75_000; // beyond SoakClient.TIMEOUT_NANOS, so what is lost is reported as such

  private final InetSocketAddress server;
  private final List<String> sources;
  private final boolean longPoll;
  private final int generator;
  private final int rooms;
  private final double actionSeconds;
  private final long seed;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final AtomicLong lastPresence = new AtomicLong(System.nanoTime());
  private volatile long runStart = System.nanoTime();
  private volatile SoakStats stats = new SoakStats();
  private List<SoakClient> clients = List.of();
  private final List<ScheduledFuture<?>> probes = new ArrayList<>();

  SoakFleet(InetSocketAddress server, List<String> sources, boolean longPoll, int generator, int rooms,
      double actionSeconds, long seed, int threads) {
    if (!server.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the soak only targets loopback, not " + server);
    }
    this.server = server;
    this.sources = List.copyOf(sources);
    this.longPoll = longPoll;
    this.generator = generator;
    this.rooms = rooms;
    this.actionSeconds = actionSeconds;
    this.seed = seed;
    this.group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
    this.bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  SoakStats stats() {
    return stats;
  }

  InetSocketAddress server() {
    return server;
  }

  boolean longPoll() {
    return longPoll;
  }

  int rooms() {
    return rooms;
  }

  double actionSeconds() {
    return actionSeconds;
  }

  Bootstrap bootstrap(EventLoop loop) {
    return bootstrap.clone(loop);
  }

  SoakTransport transport(SoakTransport.Link link, InetSocketAddress local, String token) {
    Bootstrap b = bootstrap.clone(((SoakClient) link).loop);
    return longPoll ? new SoakLongPoll(b, server, local, token, "soak-lp", link)
        : new SoakWebSocket(b, server, local, token, "soak-ws", link);
  }

  /** Seconds since this run started: the time in presence notes and user histories. */
  double seconds() {
    return (System.nanoTime() - runStart) / 1e9;
  }

  void presenceSeen() {
    lastPresence.set(System.nanoTime());
  }

  /** Starts {@code n} users (s&lt;generator&gt;u0…), their first connects spread over the ramp, lives, then quiesces. */
  Map<String, Object> run(int n, double seconds, double rampSeconds) {
    stats = new SoakStats();
    startLagProbes();
    List<SoakClient> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      EventLoop loop = group.next();
      Random random = new Random(seed * 1_000_003L + generator * 100_003L + i);
      InetSocketAddress local = new InetSocketAddress(sources.get(i % sources.size()), 0);
      list.add(new SoakClient(this, "s" + generator + "u" + i, loop, random, local));
    }
    clients = list;
    long start = System.nanoTime();
    runStart = start;
    for (int i = 0; i < n; i++) {
      list.get(i).start((long) (rampSeconds * 1000 * i / n));
    }
    long end = start + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      sleep(Math.min(30_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      log("%.0f s: %d sessions open, %d rooms live, %d problems", (System.nanoTime() - start) / 1e9,
          onClients(c -> c.open() ? 1 : 0).stream().mapToInt(Integer::intValue).sum(),
          onClients(c -> c.liveRooms().size()).stream().mapToInt(Integer::intValue).sum(), stats.problemCount());
    }
    onClients(c -> {
      c.quiesce();
      return null;
    });
    awaitAll(SoakClient::settled, "not settled 75 s after the end of the run (a reply, a join step or an own message never came)");
    Map<String, Set<String>> members = new TreeMap<>();
    int channels = 0;
    for (List<String[]> c : onClients(c -> c.liveRooms().stream().map(r -> new String[] {r.topic, c.user}).toList())) {
      channels += c.size();
      c.forEach(pair -> members.computeIfAbsent(pair[0], k -> new TreeSet<>()).add(pair[1]));
    }
    int open = onClients(c -> c.open() ? 1 : 0).stream().mapToInt(Integer::intValue).sum();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("openSessions", open);
    out.put("liveChannels", channels);
    out.put("members", members);
    out.put("problems", stats.problemCount());
    return out;
  }

  /**
   * Once presence frames have been quiet for 1.5 s (at most 15 s), compares every live room's list, rebuilt by its
   * client from presence_state and presence_diff, with {@code members}: who the generators say is in each room.
   */
  Map<String, Object> verify(Map<String, Set<String>> members) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() - lastPresence.get() < 1_500_000_000L && System.nanoTime() < deadline) {
      sleep(100);
    }
    record Wrong(String observer, String topic, Set<String> missing, Set<String> extra, Map<String, List<String>> seen) {}
    List<Wrong> wrong = new ArrayList<>();
    int checked = 0;
    for (List<Wrong> c : onClients(c -> c.liveRooms().stream().map(r -> {
      Set<String> want = members.getOrDefault(r.topic, Set.of());
      Set<String> have = r.view.keys();
      if (have.equals(want)) {
        return null;
      }
      Set<String> missing = new TreeSet<>(want);
      missing.removeAll(have);
      Set<String> extra = new TreeSet<>(have);
      extra.removeAll(want);
      Map<String, List<String>> seen = new TreeMap<>();
      java.util.stream.Stream.concat(missing.stream(), extra.stream()).limit(3).forEach(u -> seen.put(u, r.presenceEvents(u)));
      return new Wrong(c.user, r.topic, missing, extra, seen);
    }).toList())) {
      checked += c.size();
      c.stream().filter(java.util.Objects::nonNull).forEach(wrong::add);
    }
    List<String> mismatches = new ArrayList<>();
    for (Wrong w : wrong.subList(0, Math.min(10, wrong.size()))) {
      StringBuilder b = new StringBuilder(w.observer() + " on " + w.topic() + ": missing " + first(w.missing()) + ", extra "
          + first(w.extra()) + ";");
      w.seen().forEach((u, events) -> b.append(" ").append(u).append(" in this list: ").append(events)
          .append(", its own steps: ").append(history(u, w.topic())).append(";"));
      mismatches.add(b.toString());
    }
    SoakFleet.log("presence lists: %d checked, %d wrong%s", checked, wrong.size(), mismatches.isEmpty() ? "" : ", e.g. " + mismatches);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("listsChecked", checked);
    out.put("mismatches", wrong.size());
    out.put("samples", mismatches.subList(0, Math.min(10, mismatches.size())));
    return out;
  }

  /** The steps of user {@code u} about {@code topic}, when it is one of this generator's users. */
  private String history(String u, String topic) {
    String prefix = "s" + generator + "u";
    if (!u.startsWith(prefix)) {
      return "(another generator's user)";
    }
    SoakClient c = clients.get(Integer.parseInt(u.substring(prefix.length())));
    return CompletableFuture.supplyAsync(() -> c.history(topic), c.loop).join().toString();
  }

  /** Every client leaves its rooms and disconnects; returns everything the run counted. */
  Map<String, Object> finish() {
    onClients(c -> {
      c.finish();
      return null;
    });
    awaitAll(c -> c.state == SoakClient.State.DOWN, "still connected 75 s after the final leave and close");
    probes.forEach(p -> p.cancel(false));
    probes.clear();
    Map<String, Object> out = new LinkedHashMap<>(stats.report());
    out.put("clients", clients.size());
    return out;
  }

  private void awaitAll(java.util.function.Predicate<SoakClient> done, String problem) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
    List<String> late = List.of();
    while (System.nanoTime() < deadline) {
      late = onClients(c -> done.test(c) ? "" : c.describe()).stream().filter(s -> !s.isEmpty()).toList();
      if (late.isEmpty()) {
        return;
      }
      sleep(200);
    }
    late.forEach(d -> stats.problem("client " + problem, d));
  }

  /** Runs {@code f} on each client's I/O thread and collects the answers. */
  private <T> List<T> onClients(Function<SoakClient, T> f) {
    List<CompletableFuture<T>> futures = clients.stream()
        .map(c -> CompletableFuture.supplyAsync(() -> f.apply(c), c.loop)).toList();
    return futures.stream().map(CompletableFuture::join).toList();
  }

  /** How late each I/O thread runs a task due every 100 ms: when the generator itself is starved, replies look slow. */
  private void startLagProbes() {
    probes.forEach(p -> p.cancel(false));
    probes.clear();
    for (var executor : group) {
      long[] last = {System.nanoTime()};
      probes.add(((EventLoop) executor).scheduleAtFixedRate(() -> {
        long now = System.nanoTime();
        stats.loopLag.record(Math.max(0, (now - last[0]) / 1_000 - 100_000));
        last[0] = now;
      }, 100, 100, TimeUnit.MILLISECONDS));
    }
  }

  private static String first(Set<String> s) {
    return s.size() <= 5 ? s.toString() : new ArrayList<>(s).subList(0, 5) + " and " + (s.size() - 5) + " more";
  }

  static void log(String format, Object... args) {
    System.err.println("[soak] " + String.format(java.util.Locale.ROOT, format, args));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
