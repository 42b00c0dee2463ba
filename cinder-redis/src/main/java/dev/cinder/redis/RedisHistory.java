package dev.cinder.redis;

import dev.cinder.Broadcast;
import dev.cinder.History;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.HistoryStore;
import dev.cinder.internal.pubsub.Position;
import dev.cinder.internal.pubsub.Recovery;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topics' histories in Redis, shared by every node of the cluster: per topic a stream of its recorded broadcasts
 * ({@code <prefix>:h:<topic>}, bounded by the route's size, expiring with its age) and a hash with its epoch and last
 * offset ({@code <prefix>:hm:<topic>}, kept for {@link History#POSITIONS_KEPT}).
 *
 * <p>One script records a broadcast: it takes the next offset (starting a new epoch when the hash is gone, after a
 * flush or a restart without persistence, and dropping what is left of the stream then), appends the broadcast to the
 * stream, and publishes it with its position. Publishing inside the script makes Redis the one place that orders a
 * topic's broadcasts, and every node, this one included, delivers them as they come back on its subscription, in
 * position order. A node knows its own by the sequence number it sent along, which also tells it which channel to
 * skip for a {@code broadcastFrom}.
 *
 * <p>A recovery reads the hash and the stream after the client's position in one script. Recoveries of one topic
 * from one position share one read while it is under way, so thousands of clients reconnecting at once cost one
 * read each distinct position, not one each client.
 *
 * <p>When Redis cannot record a broadcast (unreachable, or too many awaiting it), the broadcast is delivered on this
 * node without a position, and the topic's history is started over (a new epoch) with the next command that
 * reaches Redis, so that no client is told it recovered while it missed that broadcast.
 */
final class RedisHistory implements HistoryStore {
  private static final Logger log = LoggerFactory.getLogger(RedisPubSubAdapter.class);
  private static final long POSITIONS_KEPT_SECONDS = History.POSITIONS_KEPT.toSeconds();

  // How both scripts start: the topic's epoch, or (when the hash is gone: a first use, a flush, a restart without
  // persistence) a new one, ARGV[1], with what is left of the stream dropped; `fresh` says which.
  private static final String EPOCH = """
      local epoch = redis.call('HGET', KEYS[1], 'e')
      local fresh = not epoch
      if fresh then
        epoch = ARGV[1]
        redis.call('DEL', KEYS[2])
        redis.call('HSET', KEYS[1], 'e', epoch, 'o', 0)
      end
      """;

  // KEYS: hash, stream, channel. ARGV: new epoch, max messages, ttl ms, positions kept s, PUBLISH or SPUBLISH, head,
  // payload. The channel is a KEY so that on a Redis Cluster the script runs on the shard that serves it.
  private static final String APPEND = EPOCH + """
      local offset = tostring(redis.call('HINCRBY', KEYS[1], 'o', 1))
      local time = redis.call('TIME')
      local now = time[1] * 1000 + math.floor(time[2] / 1000)
      local message = ARGV[6] .. string.char(#epoch) .. epoch .. string.char(#offset) .. offset .. ARGV[7]
      redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], offset .. '-0', 't', now, 'm', message)
      redis.call('PEXPIRE', KEYS[2], ARGV[3])
      redis.call('EXPIRE', KEYS[1], ARGV[4])
      redis.call(ARGV[5], KEYS[3], message)
      return {epoch, offset}
      """;

  // KEYS: hash, stream. ARGV: new epoch, the client's epoch ('' for none), its offset, ttl s.
  // Returns {epoch, top} when nothing is to be read, else {epoch, top, now ms, entries after the offset}. A topic
  // without broadcasts is kept for its ttl after the last join that asked, not for a day: joins of ever new topics
  // cannot pile up keys.
  private static final String RECOVER = EPOCH + """
      if fresh then
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        return {epoch, '0'}
      end
      local top = redis.call('HGET', KEYS[1], 'o')
      if top == '0' then
        redis.call('EXPIRE', KEYS[1], ARGV[4])
      end
      if ARGV[2] ~= epoch or tonumber(ARGV[3]) >= tonumber(top) then
        return {epoch, top}
      end
      local time = redis.call('TIME')
      local now = time[1] * 1000 + math.floor(time[2] / 1000)
      return {epoch, top, tostring(now), redis.call('XRANGE', KEYS[2], (tonumber(ARGV[3]) + 1) .. '-0', '+')}
      """;

  private final String node;
  private final ChannelNames names;
  private final Function<String, String> channelOf; // the channel a topic's broadcasts are published on
  private final ListeningWaits listening; // whether this node hears a topic's broadcasts on Redis now, and waits for it
  private final RedisScriptingAsyncCommands<String, byte[]> scripts;
  private final RedisKeyAsyncCommands<String, byte[]> keyCommands;
  private final boolean sharded; // a Redis Cluster: sharded pub/sub, keys in the slot of the topic's channel
  private final long commandTimeoutMillis;
  private final Semaphore inFlight;
  private final Undelivered undelivered;
  private final String appendDigest;
  private final String recoverDigest;
  private final AtomicLong sequences = new AtomicLong();
  // Own broadcasts recorded and not yet back on the subscription, by sequence.
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Recovery>> reads = new ConcurrentHashMap<>();
  private final Set<String> unrecorded = ConcurrentHashMap.newKeySet(); // topics to start over
  private final AtomicLong recoveryReads = new AtomicLong();
  // The masters serving the histories, as ids that change when a master is replaced or restarted; null until known.
  private final AtomicReference<Set<String>> masters = new AtomicReference<>();
  private final Function<Broadcast, Map<String, String>> traceOf; // the trace context a broadcast leaves with, or null
  private volatile boolean used; // this node has recorded or recovered a history: it has histories to start over

  <C extends RedisScriptingAsyncCommands<String, byte[]> & RedisKeyAsyncCommands<String, byte[]>> RedisHistory(
      String node, ChannelNames names, Function<String, String> channelOf, ListeningWaits listening, C commands,
      boolean sharded, ScheduledExecutorService timer, long commandTimeoutMillis, int maxInFlight,
      Undelivered undelivered, Function<Broadcast, Map<String, String>> traceOf) {
    this.node = node;
    this.traceOf = traceOf;
    this.names = names;
    this.channelOf = channelOf;
    this.listening = listening;
    this.scripts = commands;
    this.keyCommands = commands;
    this.sharded = sharded;
    this.commandTimeoutMillis = commandTimeoutMillis;
    this.inFlight = new Semaphore(maxInFlight);
    this.undelivered = undelivered;
    this.appendDigest = scripts.digest(APPEND);
    this.recoverDigest = scripts.digest(RECOVER);
    timer.scheduleWithFixedDelay(this::deliverOverdue, 1, 1, TimeUnit.SECONDS); // stops with the adapter's resources
  }

  @Override
  public boolean spansNodes() {
    return true;
  }

  /** Reads of Redis for recoveries since start: one per topic and position asked for at the same time. */
  long recoveryReads() {
    return recoveryReads.get();
  }

  @Override
  public void append(Broadcast broadcast, History history, Consumer<Dispatch> deliver) {
    used = true;
    String topic = broadcast.topic();
    if (!inFlight.tryAcquire()) {
      notRecorded(broadcast, deliver, "more broadcasts awaiting Redis than maxInFlight");
      return;
    }
    long sequence = sequences.incrementAndGet();
    byte[][] parts;
    try {
      parts = EnvelopeCodec.recordedParts(node, sequence, broadcast, traceOf.apply(broadcast));
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
    // Heard back on this node's subscription, it is delivered here then, in Redis's order; a node that does not hear
    // the topic on Redis yet delivers it itself once recorded.
    Pending mine = listening.heard(topic) ? new Pending(broadcast, deliver) : null;
    if (mine != null) {
      pending.put(sequence, mine);
    }
    startOverIfUnrecorded(topic);
    List<String> keys = new ArrayList<>(keys(topic));
    keys.add(channelOf.apply(topic));
    run(appendDigest, APPEND, keys, utf8(Position.newEpoch()), number(history.maxMessages()),
        number(history.ttl().toMillis()), number(POSITIONS_KEPT_SECONDS), utf8(sharded ? "SPUBLISH" : "PUBLISH"),
        parts[0], parts[1])
        .whenComplete((result, error) -> {
          inFlight.release();
          if (error != null) {
            if (mine == null || pending.remove(sequence) != null) {
              notRecorded(broadcast, deliver, error.getMessage());
            }
            return;
          }
          Position position;
          try {
            List<?> fields = (List<?>) result;
            position = new Position(text(fields.get(0)), Long.parseLong(text(fields.get(1))));
          } catch (RuntimeException e) { // not what the script returns: the keys hold what Cinder did not write
            if (mine == null || pending.remove(sequence) != null) {
              notRecorded(broadcast, deliver, "unreadable answer from Redis: " + e);
            }
            return;
          }
          undelivered.crossed();
          if (mine == null) {
            deliver.accept(new Dispatch(broadcast, position));
          } else {
            mine.recorded(position, System.nanoTime());
          }
        });
  }

  /** One of this node's recorded broadcasts on its way through Redis. */
  private static final class Pending {
    final Broadcast broadcast;
    final Consumer<Dispatch> deliver;
    volatile Position position; // once Redis answered
    volatile long recordedAt; // System.nanoTime() then; 0 before

    Pending(Broadcast broadcast, Consumer<Dispatch> deliver) {
      this.broadcast = broadcast;
      this.deliver = deliver;
    }

    void recorded(Position position, long now) {
      this.position = position;
      this.recordedAt = now;
    }
  }

  /**
   * Delivers here the broadcasts Redis recorded more than a command timeout ago that never came back on the
   * subscription (it dropped meanwhile, or a subscription was being replaced): late, but not lost. Runs every second.
   */
  private void deliverOverdue() {
    long now = System.nanoTime();
    long overdue = TimeUnit.MILLISECONDS.toNanos(commandTimeoutMillis);
    pending.forEach((sequence, mine) -> {
      long at = mine.recordedAt;
      if (at != 0 && now - at > overdue) {
        deliverPending(sequence);
      }
    });
  }

  private void deliverPending(long sequence) {
    Pending late = pending.remove(sequence);
    if (late != null) {
      late.deliver.accept(new Dispatch(late.broadcast, late.position));
    }
  }

  /**
   * The masters that serve the histories now, as ids that change whenever one is replaced or restarted (replication
   * ids, or a Redis Cluster's node ids). Redis replicates asynchronously, so a new master may lack the last
   * broadcasts recorded: the same offsets would be given out again within an epoch. On a change every topic's
   * history starts over (its keys deleted, so its next use starts a new epoch) and clients are told.
   */
  void mastersAre(Set<String> ids) {
    Set<String> before = masters.getAndSet(Set.copyOf(ids));
    if (used && before != null && !before.equals(ids)) {
      log.warn("node {}: a Redis master was replaced or restarted and may lack the last writes; every topic's history "
          + "starts over (clients that rejoin are told epoch_changed)", node);
      startOverAll(ScanCursor.INITIAL);
    }
  }

  private void startOverAll(ScanCursor cursor) {
    ScanArgs everyHistory = ScanArgs.Builder.matches("*" + names.historyMeta("") + "*").limit(1_000);
    keyCommands.scan(cursor, everyHistory).whenComplete((page, error) -> {
      if (error != null) {
        log.warn("node {}: could not start the histories over: {}", node, LogSafe.clip(error.toString()));
        return;
      }
      for (String key : page.getKeys()) {
        keyCommands.del(key); // the hash: the topic's next use starts a new epoch and drops what is left of its stream
      }
      if (!page.isFinished()) {
        startOverAll(page);
      }
    });
  }

  /** A recorded broadcast of this node came back from Redis: delivered here now, in its turn. */
  void arrived(Envelope envelope) {
    Pending mine = pending.remove(envelope.sequence());
    if (mine != null) {
      mine.deliver.accept(new Dispatch(mine.broadcast, envelope.position()));
    }
  }

  /**
   * The subscription dropped: what this node recorded and had not heard back will not come; it is delivered here
   * now, in the order it was sent.
   */
  void subscriptionLost() {
    List<Long> waiting = new ArrayList<>(pending.keySet());
    waiting.sort(null);
    waiting.forEach(this::deliverPending);
  }

  private void notRecorded(Broadcast broadcast, Consumer<Dispatch> deliver, String why) {
    undelivered.lost(why);
    if (unrecorded.add(broadcast.topic())) {
      log.warn("node {}: a broadcast on {} could not be recorded in Redis ({}): delivered on this node only, and the "
          + "topic's history starts over once Redis answers", node, LogSafe.clip(broadcast.topic()), LogSafe.clip(why));
    }
    deliver.accept(new Dispatch(broadcast));
  }

  /** A topic with a broadcast Redis did not record gets a new epoch, by the next command that reaches Redis. */
  private void startOverIfUnrecorded(String topic) {
    if (unrecorded.contains(topic)) {
      List<String> keys = keys(topic);
      keyCommands.del(keys.toArray(String[]::new)).whenComplete((deleted, error) -> {
        if (error == null) {
          unrecorded.remove(topic);
        }
      });
    }
  }

  @Override
  public CompletableFuture<Recovery> recover(String topic, History history, Position since) {
    used = true;
    String key = since == null ? topic : topic + '\n' + since;
    CompletableFuture<Recovery> read = new CompletableFuture<>();
    CompletableFuture<Recovery> shared = reads.putIfAbsent(key, read);
    if (shared != null) {
      return shared;
    }
    read.whenComplete((recovery, error) -> reads.remove(key, read));
    // Once this node hears the topic on Redis, so that none published after the read can pass it by.
    listening.add(topic, heard -> {
      if (!heard) {
        read.complete(Recovery.failed(null, Recovery.UNAVAILABLE));
        return;
      }
      recoveryReads.incrementAndGet();
      startOverIfUnrecorded(topic);
      run(recoverDigest, RECOVER, keys(topic), utf8(Position.newEpoch()), utf8(since == null ? "" : since.epoch()),
          number(since == null ? 0 : since.offset()), number(Math.max(1, history.ttl().toSeconds())))
          .whenComplete((result, error) -> read.complete(error != null
              ? Recovery.failed(null, Recovery.UNAVAILABLE) : readable(topic, history, since, (List<?>) result)));
    });
    return read;
  }

  /**
   * The recovery a read gave, or "unavailable" when Redis holds what Cinder did not write there (an entry that is no
   * envelope, a field of another shape): a joining channel waits for this answer, so it must always come.
   */
  private Recovery readable(String topic, History history, Position since, List<?> result) {
    try {
      return recovery(history, since, result);
    } catch (RuntimeException e) {
      log.warn("node {}: the history of {} in Redis cannot be read ({}); its clients are told it is unavailable", node,
          LogSafe.clip(topic), LogSafe.clip(e.toString()));
      return Recovery.failed(null, Recovery.UNAVAILABLE);
    }
  }

  private static Recovery recovery(History history, Position since, List<?> result) {
    Position latest = new Position(text(result.get(0)), Long.parseLong(text(result.get(1))));
    if (since == null) {
      return Recovery.failed(latest, Recovery.NO_POSITION);
    }
    if (!since.epoch().equals(latest.epoch())) {
      return Recovery.failed(latest, Recovery.EPOCH_CHANGED);
    }
    if (since.offset() > latest.offset()) {
      return Recovery.failed(latest, Recovery.UNKNOWN_POSITION);
    }
    if (since.offset() == latest.offset()) {
      return Recovery.recovered(latest, List.of());
    }
    long oldest = Long.parseLong(text(result.get(2))) - history.ttl().toMillis();
    List<?> entries = (List<?>) result.get(3);
    List<Dispatch> missed = new ArrayList<>(entries.size());
    long expected = since.offset() + 1;
    for (Object entry : entries) {
      List<?> idAndFields = (List<?>) entry;
      long offset = Long.parseLong(text(idAndFields.get(0)).split("-")[0]);
      List<?> fields = (List<?>) idAndFields.get(1);
      long at = Long.parseLong(text(fields.get(1)));
      if (offset != expected || at < oldest) {
        return Recovery.failed(latest, Recovery.TOO_OLD); // a gap: trimmed or expired
      }
      Envelope envelope = EnvelopeCodec.decode((byte[]) fields.get(3));
      missed.add(new Dispatch(envelope.broadcast(), envelope.position()));
      expected++;
    }
    if (expected != latest.offset() + 1) {
      return Recovery.failed(latest, Recovery.TOO_OLD);
    }
    return Recovery.recovered(latest, missed);
  }

  /** EVALSHA, or EVAL when Redis does not have the script (it restarted, or its scripts were flushed). */
  private CompletionStage<Object> run(String digest, String script, List<String> keys, byte[]... args) {
    String[] keyArray = keys.toArray(String[]::new);
    try {
      return scripts.<Object>evalsha(digest, ScriptOutputType.MULTI, keyArray, args)
          .exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
              ? scripts.<Object>eval(script, ScriptOutputType.MULTI, keyArray, args)
              : CompletableFuture.failedFuture(e));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e); // rejected at once: disconnected
    }
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private List<String> keys(String topic) {
    if (!sharded) {
      return List.of(names.historyMeta(topic), names.history(topic));
    }
    String channel = channelOf.apply(topic);
    return List.of(SlotTags.inSlotOf(channel, names.historyMeta(topic)), SlotTags.inSlotOf(channel, names.history(topic)));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] number(long value) {
    return utf8(Long.toString(value));
  }

  private static String text(Object value) {
    return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
  }
}
