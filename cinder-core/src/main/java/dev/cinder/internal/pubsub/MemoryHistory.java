package dev.cinder.internal.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.History;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Topics' histories in this node's memory: per topic, its epoch, its last offset and its latest broadcasts as the
 * {@link Dispatch}es that were delivered live, so a replay sends the very frames encoded then. A new topic starts a
 * new epoch, and so does one forgotten after {@link History#POSITIONS_KEPT} without a broadcast, or a restart.
 * A sweep every few seconds lets go of expired broadcasts even on quiet topics.
 */
public final class MemoryHistory implements HistoryStore {
  static final long SWEEP_SECONDS = 5;
  private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cinder-history-sweep");
    t.setDaemon(true);
    return t;
  });

  private final ConcurrentHashMap<String, TopicLog> logs = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;
  private final long positionsKeptNanos;
  private volatile ScheduledFuture<?> sweeping;

  public MemoryHistory() {
    this(System::nanoTime);
  }

  MemoryHistory(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.positionsKeptNanos = History.POSITIONS_KEPT.toNanos();
  }

  @Override
  public void append(Broadcast broadcast, History history, Consumer<Dispatch> deliver) {
    startSweeping();
    while (true) {
      TopicLog log = logs.computeIfAbsent(broadcast.topic(), t -> new TopicLog(t, history, nanoClock.getAsLong()));
      synchronized (log) {
        if (log.dropped) {
          continue; // swept away between the lookup and the lock: take the topic's new log
        }
        long now = nanoClock.getAsLong();
        Dispatch dispatch = new Dispatch(broadcast, new Position(log.epoch, ++log.top));
        log.entries.addLast(new Entry(dispatch, now));
        log.lastTouched = now;
        log.trim(history, now);
        // Inside the lock: the topic's broadcasts reach their subscribers in position order.
        deliver.accept(dispatch);
        return;
      }
    }
  }

  @Override
  public CompletableFuture<Recovery> recover(String topic, History history, Position since) {
    startSweeping();
    while (true) {
      TopicLog log = logs.computeIfAbsent(topic, t -> new TopicLog(t, history, nanoClock.getAsLong()));
      synchronized (log) {
        if (log.dropped) {
          continue;
        }
        long now = nanoClock.getAsLong();
        if (log.top == 0) {
          log.lastTouched = now; // a topic without broadcasts is kept while joins ask for it
        }
        log.trim(history, now);
        return CompletableFuture.completedFuture(log.since(since));
      }
    }
  }

  /** The number of topics whose position is kept. */
  public int topicCount() {
    return logs.size();
  }

  /** Drops expired broadcasts everywhere, and topics quiet for longer than their positions are kept. */
  void sweep() {
    long now = nanoClock.getAsLong();
    for (TopicLog log : logs.values()) {
      synchronized (log) {
        log.trim(log.history, now);
        // A topic that had broadcasts keeps its position for a day after the last; one that never had any only
        // for its ttl after the last join asked, so that joins of ever new topics cannot pile up logs for a day.
        long keptNanos = log.top > 0 ? positionsKeptNanos : log.history.ttl().toNanos();
        if (log.entries.isEmpty() && now - log.lastTouched > keptNanos) {
          log.dropped = true;
          logs.remove(log.topic, log);
        }
      }
    }
  }

  private void startSweeping() {
    if (sweeping == null) {
      synchronized (this) {
        if (sweeping == null) {
          sweeping = scheduleSweeps(this);
        }
      }
    }
  }

  // The task holds the store weakly: a store nobody uses any more is collected, and its task then cancels itself.
  private static ScheduledFuture<?> scheduleSweeps(MemoryHistory store) {
    WeakReference<MemoryHistory> ref = new WeakReference<>(store);
    ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
    self[0] = SWEEPER.scheduleWithFixedDelay(() -> {
      MemoryHistory live = ref.get();
      if (live == null) {
        self[0].cancel(false);
      } else {
        live.sweep();
      }
    }, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    return self[0];
  }

  private record Entry(Dispatch dispatch, long at) {}

  /** One topic's epoch, last offset and kept broadcasts, oldest first. Guarded by its own lock. */
  private static final class TopicLog {
    final String topic;
    final String epoch = Position.newEpoch();
    final ArrayDeque<Entry> entries = new ArrayDeque<>();
    long top;
    long lastTouched; // the last broadcast, or for a topic without any the last recovery that asked for it
    History history; // as last used, for the sweep
    boolean dropped;

    TopicLog(String topic, History history, long now) {
      this.topic = topic;
      this.history = history;
      this.lastTouched = now;
    }

    void trim(History history, long now) {
      this.history = history;
      while (entries.size() > history.maxMessages()) {
        entries.removeFirst();
      }
      long oldest = now - history.ttl().toNanos();
      while (!entries.isEmpty() && entries.peekFirst().at() - oldest < 0) {
        entries.removeFirst();
      }
    }

    Recovery since(Position since) {
      Position latest = new Position(epoch, top);
      if (since == null) {
        return Recovery.failed(latest, Recovery.NO_POSITION);
      }
      if (!since.epoch().equals(epoch)) {
        return Recovery.failed(latest, Recovery.EPOCH_CHANGED);
      }
      if (since.offset() > top) {
        return Recovery.failed(latest, Recovery.UNKNOWN_POSITION);
      }
      if (since.offset() == top) {
        return Recovery.recovered(latest, List.of());
      }
      // Something came after the position: it must all still be here, from the offset right after it.
      if (entries.isEmpty() || entries.peekFirst().dispatch().position().offset() > since.offset() + 1) {
        return Recovery.failed(latest, Recovery.TOO_OLD);
      }
      List<Dispatch> missed = new ArrayList<>((int) (top - since.offset()));
      for (Entry entry : entries) {
        if (entry.dispatch().position().offset() > since.offset()) {
          missed.add(entry.dispatch());
        }
      }
      return Recovery.recovered(latest, missed);
    }
  }
}
