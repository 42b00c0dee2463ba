package dev.cinder.bench.client;

import dev.cinder.bench.wire.ClientFrames;
import dev.cinder.bench.wire.Position;
import dev.cinder.bench.wire.RecoveryReply;
import dev.cinder.bench.wire.ServerFrame;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One Phoenix V2 client, whatever its transport: it joins its topics (join_ref and ref {@code "1"}, {@code "2"}, …
 * in topic order), sends a heartbeat every 30 s as phoenix.js does, checks the replies to both, and hands every
 * other message to the fleet's current {@link Traffic}. Its state is touched only on its I/O thread, which is why
 * scenarios reach it through {@link #execute}.
 *
 * <p>A client that recovers joins with {@code "recover"} and keeps, per topic, the last position it was given (the
 * ref of each broadcast, or the join reply's position before the first): what it rejoins with after a drop.
 */
public abstract class PhxClient {
  static final long HEARTBEAT_SECONDS = 30;

  protected final Fleet fleet;
  private final int index;
  private final List<String> topics;
  /** Per topic, the last position received; null when this client does not ask for recovery. */
  private final String[] positions;
  final CompletableFuture<PhxClient> joined = new CompletableFuture<>();
  /** Per-client state of the current scenario; touched only on this client's I/O thread. */
  public Object scenarioState;
  private long joinSentNanos;
  private int joinsOk;
  private int nextRef;
  private int heartbeats;

  /**
   * {@code recoverFrom} null: joins as phoenix.js does by default, with {@code {}}; else, per topic, the position to
   * recover from, or null for {@code "recover": true}.
   */
  protected PhxClient(Fleet fleet, int index, List<String> topics, String[] recoverFrom) {
    this.fleet = fleet;
    this.index = index;
    this.topics = List.copyOf(topics);
    this.positions = recoverFrom == null ? null : recoverFrom.clone();
    this.nextRef = topics.size() + 1;
  }

  /** This client's number in its fleet, from 0: its user is {@code <prefix><index>}. */
  public int index() {
    return index;
  }

  /** The first (usually the only) joined topic: pushes go there. */
  public String topic() {
    return topics.getFirst();
  }

  /** Every topic this client joins, in join order. */
  List<String> topics() {
    return topics;
  }

  /** Whether this client joined {@code topic}. */
  public boolean subscribed(String topic) {
    return topics.contains(topic);
  }

  public String joinRef() {
    return "1";
  }

  /** Sends a push on the first topic and returns its ref; I/O thread only (see {@link #execute}). */
  public String push(String event, String payloadJson) {
    String ref = Integer.toString(nextRef++);
    send(ClientFrames.push(joinRef(), ref, topic(), event, payloadJson));
    return ref;
  }

  /** Runs a task on this client's I/O thread. */
  public abstract void execute(Runnable task);

  /** Sends one V2 text message; I/O thread only. */
  protected abstract void send(String text);

  abstract boolean isOpen();

  abstract void close();

  /** Drops the connection at once, as a network failure would; by default as {@link #close}. I/O thread only. */
  void abort() {
    close();
  }

  /**
   * Aborts the connection on the I/O thread and completes with the last position of each topic then (null when this
   * client does not recover): what it rejoins with.
   */
  CompletableFuture<String[]> drop() {
    CompletableFuture<String[]> last = new CompletableFuture<>();
    execute(() -> {
      abort();
      last.complete(positions == null ? null : positions.clone());
    });
    return last;
  }

  /** Waits up to {@code seconds} for every join's ok; false on a refusal, a failure or the timeout. */
  public boolean awaitJoin(long seconds) {
    try {
      joined.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  boolean isJoined() {
    return joined.isDone() && !joined.isCompletedExceptionally() && isOpen();
  }

  /** The transport is open: join every topic. */
  protected void sendJoins() {
    joinSentNanos = System.nanoTime();
    for (int i = 0; i < topics.size(); i++) {
      String ref = Integer.toString(i + 1);
      send(positions == null ? ClientFrames.join(ref, topics.get(i))
          : ClientFrames.join(ref, topics.get(i), ClientFrames.recoverPayload(positions[i])));
    }
  }

  protected void heartbeat() {
    send(ClientFrames.heartbeat("h" + heartbeats++));
  }

  /**
   * One message from the server, exactly the text a WebSocket frame (or a long-poll string) carried, in the first
   * {@code length} bytes of {@code text}. The transport may reuse {@code text} for its next message, so neither
   * this client nor the {@link Traffic} keeps the parsed frame past this call, only copies of what they need.
   */
  protected void onText(byte[] text, int length, long nowMicros) {
    ServerFrame f = ServerFrame.parse(text, length);
    if (f == null) {
      fleet.badFrame("unparsable");
    } else if ("phoenix".equals(f.topic())) {
      onHeartbeatReply(f);
    } else if (!joined.isDone() && joinIndex(f.ref()) >= 0) {
      onJoinReply(f, joinIndex(f.ref()));
    } else if ("phx_reply".equals(f.event()) && f.joinRef() != null && f.ref() != null) {
      if (!fleet.traffic.onReply(this, f, nowMicros)) {
        fleet.badFrame("unexpected reply on " + f.topic());
      }
    } else {
      if (positions != null && f.joinRef() == null && Position.isPosition(f.ref())) {
        int at = topics.indexOf(f.topic());
        if (at >= 0) {
          positions[at] = f.ref();
        }
      }
      if (!fleet.traffic.onFrame(this, f, nowMicros)) {
        fleet.badFrame(f.event() + " on " + f.topic());
      }
    }
  }

  private int joinIndex(String ref) {
    if (ref == null) {
      return -1;
    }
    for (int i = 0; i < topics.size(); i++) {
      if (ref.equals(Integer.toString(i + 1))) {
        return i;
      }
    }
    return -1;
  }

  private void onJoinReply(ServerFrame f, int index) {
    if (!topics.get(index).equals(f.topic())) {
      fleet.badFrame("join reply for another topic");
    }
    if (ClientFrames.isOkReply(f) && f.ref().equals(f.joinRef())) {
      if (positions != null) {
        onRecoveryReply(RecoveryReply.parse(f.payload()), index);
      }
      if (++joinsOk == topics.size()) {
        fleet.joinHistogram.recordMicros(System.nanoTime() - joinSentNanos);
        joined.complete(this);
      }
      return;
    }
    String reason = ClientFrames.errorReason(f);
    // An "unmatched topic" refusal carries a null join_ref; anything else is a protocol slip.
    if ("unmatched topic".equals(reason) && f.joinRef() != null) {
      fleet.badFrame("unmatched-topic reply with a join_ref");
    }
    joined.completeExceptionally(new JoinRefused(reason == null ? f.payload() : reason));
  }

  /** Counts the outcome; a first join takes the reply's position as its last until a broadcast brings one. */
  private void onRecoveryReply(RecoveryReply reply, int index) {
    fleet.recoveryOutcome(reply == null ? "no recovery in the reply" : reply.outcome());
    if (reply != null && positions[index] == null) {
      positions[index] = reply.position();
    }
  }

  private void onHeartbeatReply(ServerFrame f) {
    boolean ok = f.joinRef() == null && f.ref() != null && f.ref().startsWith("h") && ClientFrames.isOkReply(f);
    if (ok) {
      fleet.counters.heartbeatReplies.increment();
    } else {
      fleet.badFrame("heartbeat reply");
    }
  }

  /** A join answered with an error status. */
  public static final class JoinRefused extends RuntimeException {
    public JoinRefused(String reason) {
      super(reason, null, false, false);
    }
  }
}
