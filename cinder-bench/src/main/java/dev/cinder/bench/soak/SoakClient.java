package dev.cinder.bench.soak;

import dev.cinder.bench.wire.ClientFrames;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * One user of the soak, session after session: asks {@code POST /api/token} for a token, connects, joins one to three
 * rooms, then does what {@link SoakActions} picks at random (seeded) until an action ends the session, and comes
 * back 1–10 s later. This class holds the session's state (pending replies, rooms) and the protocol steps (join,
 * push, leave, close); every frame received is checked by {@link SoakFrames}, what never came by
 * {@link SoakDeadlines}, and what a correct server would never make it see is counted as a problem by kind.
 *
 * <p>All state is touched only on this client's I/O thread.
 */
final class SoakClient implements SoakTransport.Link {
  /**
   * What never came within a minute is lost. The bound is generous on purpose: on this shared 2-core machine a
   * generator's own I/O thread is sometimes seconds late (its lateness is in the report), and a slow answer is
   * not a lost one. Answers slower than {@link #SLOW_NANOS} are counted apart, and the latencies are reported.
   */
  static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** The official client's default push timeout is 10 s; 20 s is the slowest a healthy exchange should take. */
  static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(20);

  enum State { IDLE, TOKEN, CONNECTING, OPEN, LEAVING_ALL, SILENT, CLOSING, DOWN }

  /** A push waiting for its reply; {@code expected} is the response a ping must echo. */
  record Pending(String event, String topic, String joinRef, long sentNanos, JsonNode expected) {}

  final SoakFleet fleet;
  final SoakStats stats;
  final String user;
  final EventLoop loop;
  private final Random random;
  private final SoakActions actions;
  private final InetSocketAddress local;
  State state = State.IDLE;
  SoakTransport transport;
  final Map<String, Pending> pending = new HashMap<>();
  final Map<String, SoakRoom> rooms = new HashMap<>();
  /** Refs and own messages already reported as lost: if they arrive after all, they are late, not unknown. */
  final Set<String> lateRefs = new HashSet<>();
  final Set<String> lateOwn = new HashSet<>();
  /** Topics whose phx_close came, with when: a frame for one of them afterwards is a problem. */
  final Map<String, Long> closedTopics = new HashMap<>();
  /** This user's last sessions and room joins and leaves, with when: to explain a wrong presence list. */
  private final java.util.ArrayDeque<String> history = new java.util.ArrayDeque<>();
  private int nextRef;
  private String ending = "";
  private boolean quiescing;
  private ScheduledFuture<?> action;
  private ScheduledFuture<?> heartbeat;
  private ScheduledFuture<?> watchdog;
  private ScheduledFuture<?> reconnect;

  SoakClient(SoakFleet fleet, String user, EventLoop loop, Random random, InetSocketAddress local) {
    this.fleet = fleet;
    this.stats = fleet.stats();
    this.user = user;
    this.loop = loop;
    this.random = random;
    this.actions = new SoakActions(this, random);
    this.local = local;
  }

  // Sessions ----------------------------------------------------------------------------------------------

  void start(long delayMillis) {
    loop.execute(() -> reconnect = loop.schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS));
  }

  private void connect() {
    if (quiescing) {
      state = State.DOWN;
      return;
    }
    state = State.TOKEN;
    stats.count("token requests");
    TokenRequest.fetch(fleet.bootstrap(loop), fleet.server(), local, user, stats, this::onToken);
  }

  private void onToken(String token, String why) {
    if (state != State.TOKEN) {
      return;
    }
    if (token == null) {
      stats.problem("token request failed", user + ": " + why);
      state = State.DOWN;
      comeBack(1_000, 5_000);
      return;
    }
    state = State.CONNECTING;
    transport = fleet.transport(this, local, token);
    transport.open();
  }

  @Override
  public void opened(SoakTransport t) {
    if (t != transport) {
      return;
    }
    state = State.OPEN;
    stats.count("sessions opened");
    note("session opened");
    heartbeat = loop.scheduleAtFixedRate(this::heartbeat, 30, 30, TimeUnit.SECONDS);
    watchdog = loop.scheduleAtFixedRate(this::watchdog, 5, 5, TimeUnit.SECONDS);
    for (int i = actions.roomsPerSession(); i > 0; i--) {
      join();
    }
    if (!quiescing) {
      scheduleAction();
    }
  }

  @Override
  public void text(SoakTransport t, byte[] text) {
    if (t == transport) {
      SoakFrames.handle(this, text);
    }
  }

  @Override
  public void ended(SoakTransport t, SoakTransport.Ending e) {
    if (t != transport) {
      return;
    }
    transport = null;
    note("session ended (" + (e.byUs() ? ending : e.why()) + ")");
    cancelTimers();
    SoakDeadlines.sweep(this, System.nanoTime()); // what was already overdue counts before the session's state goes
    State was = state;
    if (was == State.CONNECTING) {
      stats.problem("connect failed", user + ": " + e.why());
    } else if (was == State.SILENT && !e.byUs() && e.code() == 1001) {
      stats.count("sessions ended: " + ending);
    } else if (!e.byUs()) {
      stats.problem(e.code() > 0 ? "session closed by the server, code " + e.code() : "session ended by the server",
          user + " (" + was + "): " + e.why());
    } else {
      if (e.code() != 1000 && e.code() != 1006 && e.code() != 0) {
        stats.problem("our close answered with code " + e.code(), user + ": " + e.why());
      }
      stats.count("sessions ended: " + ending);
    }
    pending.clear();
    rooms.clear();
    lateRefs.clear();
    lateOwn.clear();
    closedTopics.clear();
    state = State.DOWN;
    comeBack(1_000, 10_000);
  }

  /** Notes a step of this user's history (kept: the last 40). */
  void note(String what) {
    if (history.size() == 40) {
      history.removeFirst();
    }
    history.addLast(String.format(java.util.Locale.ROOT, "%.1fs %s", fleet.seconds(), what));
  }

  /** The steps of this user's history that concern {@code topic} or a whole session. */
  List<String> history(String topic) {
    return history.stream().filter(h -> h.endsWith(" " + topic) || h.contains("session")).toList();
  }

  @Override
  public SoakStats stats() {
    return stats;
  }

  @Override
  public void problem(String kind, String detail) {
    stats.problem(kind, user + ": " + detail);
  }

  private void comeBack(int minMillis, int maxMillis) {
    if (!quiescing) {
      reconnect = loop.schedule(this::connect, minMillis + random.nextInt(maxMillis - minMillis), TimeUnit.MILLISECONDS);
    }
  }

  private void cancelTimers() {
    for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {action, heartbeat, watchdog}) {
      if (f != null) {
        f.cancel(false);
      }
    }
  }

  // Actions (chosen by SoakActions) ---------------------------------------------------------------------

  private void scheduleAction() {
    action = loop.schedule(this::act, actions.nextDelayMillis(), TimeUnit.MILLISECONDS);
  }

  private void act() {
    if (state == State.OPEN && !quiescing && actions.act() && state == State.OPEN) {
      scheduleAction();
    }
  }

  private void heartbeat() {
    if (state == State.OPEN || state == State.LEAVING_ALL) {
      String ref = ref();
      pending.put(ref, new Pending("heartbeat", "phoenix", null, System.nanoTime(), null));
      transport.send(ClientFrames.heartbeat(ref));
    }
  }

  private String ref() {
    return Integer.toString(++nextRef);
  }

  void push(SoakRoom room, String event, String json, JsonNode expected, boolean reply) {
    String ref = ref();
    if (reply) {
      pending.put(ref, new Pending(event, room.topic, room.joinRef, System.nanoTime(), expected));
    }
    transport.send(ClientFrames.push(room.joinRef, ref, room.topic, event, json));
  }

  /** Joins a room this session is not in (see {@link SoakActions#room}). */
  void join() {
    String topic = null;
    for (int i = 0; i < 10 && topic == null; i++) {
      String t = actions.room();
      topic = rooms.containsKey(t) ? null : t;
    }
    if (topic == null) {
      return;
    }
    String ref = ref();
    long now = System.nanoTime();
    rooms.put(topic, new SoakRoom(topic, ref, now));
    closedTopics.remove(topic);
    pending.put(ref, new Pending("phx_join", topic, ref, now, null));
    stats.count("joins sent");
    note("join sent on " + topic);
    transport.send(ClientFrames.join(ref, topic));
  }

  void leave(SoakRoom room) {
    note("leave sent on " + room.topic);
    room.leaving = true;
    push(room, "phx_leave", "{}", null, true);
    stats.count("leaves sent");
  }

  /** A room is gone (phx_close, or given up on): while leaving everything, the last one ends the session. */
  void roomGone(SoakRoom room) {
    rooms.remove(room.topic, room);
    if (state == State.LEAVING_ALL && rooms.isEmpty()) {
      end(false);
    }
  }

  /** Leaves every room, then ends the session ({@code how}: for the counts). */
  void leaveAll(String how) {
    ending = how;
    state = State.LEAVING_ALL;
    for (SoakRoom r : List.copyOf(rooms.values())) {
      if (r.stage != SoakRoom.Stage.JOINING && !r.leaving) {
        leave(r);
      } // a room still joining is left when its reply comes (SoakFrames)
    }
    if (rooms.isEmpty()) {
      end(false);
    }
  }

  /** Ends the session without leaving: closes, or with {@code abort} resets the connection. */
  void end(String how, boolean abort) {
    ending = how;
    end(abort);
  }

  /** Stops sending anything, heartbeats included, until the server's idle timeout closes the connection. */
  void silence(String how) {
    ending = how;
    state = State.SILENT;
    heartbeat.cancel(false);
  }

  private void end(boolean abort) {
    if (transport == null) {
      return; // already ended
    }
    state = State.CLOSING;
    cancelTimers();
    if (abort) {
      transport.abort();
    } else {
      transport.close();
    }
  }

  // Checks over time --------------------------------------------------------------------------------------

  private void watchdog() {
    long now = System.nanoTime();
    SoakDeadlines.sweep(this, now);
    closedTopics.values().removeIf(t -> now - t > 3 * TIMEOUT_NANOS);
  }

  // The end of a run --------------------------------------------------------------------------------------

  /** No more actions or reconnects; a silent session is closed now. In-flight joins and replies still complete. */
  void quiesce() {
    quiescing = true;
    if (action != null) {
      action.cancel(false);
    }
    if (reconnect != null) {
      reconnect.cancel(false);
    }
    if (state == State.SILENT) {
      ending = "went silent; closed at the end of the run";
      end(true);
    } else if (state == State.IDLE) {
      state = State.DOWN;
    }
  }

  /** Nothing in flight: either disconnected, or open with every room live and every reply and own message in. */
  boolean settled() {
    return state == State.DOWN || state == State.OPEN && pending.isEmpty()
        && rooms.values().stream().allMatch(r -> r.live() && r.ownPending.isEmpty());
  }

  /** Leaves every room, then ends the session (end of the run). */
  void finish() {
    quiesce();
    if (state == State.OPEN) {
      leaveAll(fleet.longPoll() ? "left, then stopped polling (end of run)" : "left, then closed (1000) (end of run)");
    }
  }

  boolean open() {
    return state == State.OPEN;
  }

  /** The rooms this client is in, as far as presence goes: every live room of an open session. */
  List<SoakRoom> liveRooms() {
    return state == State.OPEN ? rooms.values().stream().filter(SoakRoom::live).toList() : List.of();
  }

  String describe() {
    return user + " " + state + " pending=" + pending.values().stream().map(Pending::event).toList() + " rooms="
        + rooms.values().stream().map(r -> r.topic + ":" + r.stage + (r.leaving ? "/leaving" : "") + (r.selfJoined ? "" : "/noself")
            + (r.ownPending.isEmpty() ? "" : "/own" + r.ownPending.size())).toList();
  }
}
