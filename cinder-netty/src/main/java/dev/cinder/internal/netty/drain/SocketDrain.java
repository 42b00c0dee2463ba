package dev.cinder.internal.netty.drain;

import dev.cinder.internal.netty.drain.DrainProgress.Phase;
import dev.cinder.internal.socket.SocketSession;
import dev.cinder.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's graceful stop, as Phoenix's socket drainer does it ({@link DrainPlan}): no new sockets, then the
 * open ones closed in batches spread over time, then a wait until every one of them has ended, its channels'
 * {@code terminate} included, so that what the application does there (untracking presences, say) is done
 * before the rest of the application shuts down. Sockets that were opening when the drain began are closed as
 * soon as they open. Its progress is {@link #status()}.
 */
public final class SocketDrain {
  private static final Logger log = LoggerFactory.getLogger(SocketDrain.class);

  private final List<DrainableSockets> transports;
  private final Telemetry telemetry;
  private volatile Phase phase = Phase.SERVING;
  private final AtomicInteger batchesSent = new AtomicInteger();
  private final AtomicInteger left = new AtomicInteger();
  private final Set<SocketSession> tracked = ConcurrentHashMap.newKeySet();
  private final Queue<CompletableFuture<Void>> ends = new ConcurrentLinkedQueue<>();

  /** A drain of the sockets of {@code transports}, counted by {@code telemetry}. */
  public SocketDrain(List<DrainableSockets> transports, Telemetry telemetry) {
    this.transports = List.copyOf(transports);
    this.telemetry = telemetry;
  }

  /** Where the drain is, and how many sockets are left. */
  public DrainProgress status() {
    Phase now = phase;
    int sockets = now == Phase.SERVING ? transports.stream().mapToInt(DrainableSockets::size).sum() : left.get();
    return new DrainProgress(now, sockets, batchesSent.get());
  }

  /**
   * Drains: {@code stopAccepting} closes the listening socket, then the sockets close in batches and the drain
   * waits for their ends, at most until {@link DrainPlan#shutdown()} (the server then cuts what is left).
   */
  public void run(DrainPlan options, Runnable stopAccepting) {
    long start = System.nanoTime();
    long deadline = start + options.shutdown().toNanos();
    List<OpenSocket> sockets = new ArrayList<>();
    transports.forEach(transport -> sockets.addAll(transport.startDraining(this::lateArrival)));
    sockets.forEach(this::track);
    phase = Phase.DRAINING;
    stopAccepting.run();
    int batches = (sockets.size() + options.batchSize() - 1) / options.batchSize();
    if (!sockets.isEmpty()) {
      log.info("draining {} sockets in {} batches of {} every {} ms (at most {} s)", sockets.size(), batches,
          options.batchSize(), options.batchInterval().toMillis(), options.shutdown().toSeconds());
    }
    closeInBatches(sockets, batches, options, deadline);
    if (awaitEnds(deadline)) {
      if (!tracked.isEmpty()) {
        log.info("drained: every socket closed and its channels ended in {} ms", (System.nanoTime() - start) / 1_000_000);
      }
    } else {
      log.warn("drain: {} sockets had not ended after {} s; their connections are cut", left.get(),
          options.shutdown().toSeconds());
    }
    phase = Phase.STOPPED;
  }

  /**
   * Batch after batch, {@link DrainPlan#batchInterval()} apart; what is left when the deadline comes goes in
   * one last batch.
   */
  private void closeInBatches(List<OpenSocket> sockets, int batches, DrainPlan options, long deadline) {
    int from = 0;
    for (int batch = 1; from < sockets.size(); batch++) {
      boolean last = batch == batches || System.nanoTime() >= deadline;
      int to = last ? sockets.size() : Math.min(sockets.size(), from + options.batchSize());
      telemetry.socketDrain(batch, batches, to - from, sockets.size());
      sockets.subList(from, to).forEach(socket -> socket.close().run());
      batchesSent.incrementAndGet();
      from = to;
      if (from < sockets.size()) {
        pause(options.batchInterval().toNanos(), deadline);
      }
    }
  }

  /** Sleeps for {@code nanos}, at most until the deadline; an interrupt ends the pause (and the ones after). */
  private static void pause(long nanos, long deadline) {
    long millis = Math.max(0, Math.min(nanos, deadline - System.nanoTime())) / 1_000_000;
    if (millis == 0 || Thread.currentThread().isInterrupted()) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until every tracked socket has ended, late arrivals included; false at the deadline. */
  private boolean awaitEnds(long deadline) {
    while (true) {
      List<CompletableFuture<Void>> now = List.copyOf(ends);
      try {
        CompletableFuture.allOf(now.toArray(CompletableFuture<?>[]::new))
            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (ends.size() == now.size()) {
        return true; // no socket arrived meanwhile
      }
    }
  }

  /** A socket that opened after the drain began (its handshake or connect was under way): closed at once. */
  private void lateArrival(OpenSocket socket) {
    track(socket);
    socket.close().run();
  }

  private void track(OpenSocket socket) {
    if (!tracked.add(socket.session())) {
      return; // listed by its transport and handed over as a late arrival too
    }
    left.incrementAndGet();
    CompletableFuture<Void> ended = socket.session().ended();
    ends.add(ended);
    ended.whenComplete((done, failed) -> left.decrementAndGet());
  }
}
