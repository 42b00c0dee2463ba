package dev.cinder.bench.soak;

import dev.cinder.bench.wire.ClientFrames;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * One user of the soak, session after session: asks {@code POST /api/token} for a token, connects, joins one to three
 * rooms, and then, at random times (seeded), chats ({@code new_msg}, with {@code typing} around some), pings, changes
 * its status, switches rooms, and now and then ends the session one of the ways real clients do (leave then close,
 * close without leaving, a TCP reset, going silent until the server's idle timeout; over long-poll: leave then stop
 * polling, or stop polling) and comes back a few seconds later. Every frame it receives is checked by
 * {@link SoakFrames}; what a correct server would never make it see is counted as a problem by kind.
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
  private static final String[] STATUSES = {"online", "away", "busy"};
  private static final String[] WORDS = {"hello", "anyone here?", "brb", "sounds good", "see you tomorrow", "ok"};

  enum State { IDLE, TOKEN, CONNECTING, OPEN, LEAVING_ALL, SILENT, CLOSING, DOWN }

  /** A push waiting for its reply; {@code expected} is the response a ping must echo. */
  record Pending(String event, String topic, String joinRef, long sentNanos, JsonNode expected) {}

  final SoakFleet fleet;
  final SoakStats stats;
  final String user;
  final EventLoop loop;
  private final Random random;
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
  private int messages;
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
    double r = random.nextDouble();
    int count = r < 0.6 ? 1 : r < 0.9 ? 2 : 3;
    for (int i = 0; i < count; i++) {
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
    sweep(System.nanoTime()); // what was already overdue counts before the session's state goes
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

  // Actions -----------------------------------------------------------------------------------------------

  private void scheduleAction() {
    long millis = (long) (-Math.log(1 - random.nextDouble()) * fleet.actionSeconds() * 1000);
    action = loop.schedule(this::act, millis, TimeUnit.MILLISECONDS);
  }

  /** One random step: 12% end the session, 35% chat, 15% ping, 10% status, 5% typing, 15% switch, 8% join/leave. */
  private void act() {
    if (state != State.OPEN || quiescing) {
      return;
    }
    double p = random.nextDouble();
    if (p < 0.12) {
      endSession();
      return;
    }
    scheduleAction();
    List<SoakRoom> live = rooms.values().stream().filter(SoakRoom::live).toList();
    if (live.isEmpty()) {
      if (rooms.isEmpty()) {
        join();
      }
      return;
    }
    SoakRoom room = live.get(random.nextInt(live.size()));
    if (p < 0.47) {
      newMessage(room);
    } else if (p < 0.62) {
      ping(room);
    } else if (p < 0.72) {
      push(room, "update_status", "{\"status\":\"" + STATUSES[random.nextInt(STATUSES.length)] + "\"}", null, true);
      stats.count("update_status sent");
    } else if (p < 0.77) {
      typing(room, 1_000 + random.nextInt(2_000));
    } else if (p < 0.92) {
      leave(room);
      join();
    } else if (rooms.size() < 3) {
      join();
    } else {
      leave(room);
    }
  }

  private void newMessage(SoakRoom room) {
    boolean typed = random.nextDouble() < 0.3;
    if (typed) {
      typing(room, 300 + random.nextInt(1_200));
    }
    String body = "m" + messages++ + " from " + user + ": " + WORDS[random.nextInt(WORDS.length)];
    room.ownPending.put(body, System.nanoTime());
    push(room, "new_msg", "{\"body\":\"" + body + "\"}", null, false);
    stats.count("new_msg sent");
  }

  /** typing true now, false after {@code millis} if the room is still live on this session. */
  private void typing(SoakRoom room, int millis) {
    push(room, "typing", "{\"typing\":true}", null, false);
    stats.count("typing sent");
    SoakTransport session = transport;
    loop.schedule(() -> {
      if (transport == session && rooms.get(room.topic) == room && room.live()) {
        push(room, "typing", "{\"typing\":false}", null, false);
        stats.count("typing sent");
      }
    }, millis, TimeUnit.MILLISECONDS);
  }

  private void ping(SoakRoom room) {
    String json = "{\"n\":" + random.nextInt(1_000_000) + ",\"from\":\"" + user + "\"}";
    push(room, "ping", json, SoakFrames.JSON.readTree(json), true);
    stats.count("ping sent");
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

  private void push(SoakRoom room, String event, String json, JsonNode expected, boolean reply) {
    String ref = ref();
    if (reply) {
      pending.put(ref, new Pending(event, room.topic, room.joinRef, System.nanoTime(), expected));
    }
    transport.send(ClientFrames.push(room.joinRef, ref, room.topic, event, json));
  }

  /** Joins a room this session is not in, picked with a skew: low-numbered rooms are the crowded ones. */
  private void join() {
    String topic = null;
    for (int i = 0; i < 10 && topic == null; i++) {
      String t = "room:soak-" + (int) (fleet.rooms() * Math.pow(random.nextDouble(), 1.5));
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

  private void endSession() {
    double p = random.nextDouble();
    if (fleet.longPoll()) {
      if (p < 0.6) {
        leaveAll("left, then stopped polling");
      } else {
        ending = "stopped polling without leaving";
        end(false);
      }
    } else if (p < 0.5) {
      leaveAll("left, then closed (1000)");
    } else if (p < 0.75) {
      ending = "closed (1000) without leaving";
      end(false);
    } else if (p < 0.95) {
      ending = "TCP reset without leaving";
      end(true);
    } else {
      ending = "went silent until the server's idle timeout";
      state = State.SILENT;
      heartbeat.cancel(false);
    }
  }

  private void leaveAll(String how) {
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
    sweep(now);
    closedTopics.values().removeIf(t -> now - t > 3 * TIMEOUT_NANOS);
  }

  /** Reports what is overdue: replies, join steps, phx_close after a leave, own messages. */
  private void sweep(long now) {
    List<SoakRoom> gone = new ArrayList<>();
    for (Iterator<Map.Entry<String, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Pending> e = it.next();
      Pending p = e.getValue();
      if (now - p.sentNanos() > TIMEOUT_NANOS) {
        stats.problem("no reply within 60 s", p.event() + " on " + p.topic() + " (" + user + ")");
        lateRefs.add(e.getKey());
        it.remove();
        SoakRoom r = rooms.get(p.topic());
        if (r != null && (p.event().equals("phx_join") && r.joinRef.equals(e.getKey()) || p.event().equals("phx_leave"))) {
          gone.add(r); // its join or leave will not be answered: give the room up
        }
      }
    }
    for (SoakRoom r : rooms.values()) {
      if (!r.reported && !r.leaving && r.stage != SoakRoom.Stage.JOINING && now - r.joinedNanos > TIMEOUT_NANOS && !r.live()) {
        r.reported = true;
        stats.problem(r.stage == SoakRoom.Stage.LIVE ? "no user_joined for self within 60 s of the join reply"
            : "join sequence incomplete 60 s after the join reply", r.topic + " at " + r.stage + " (" + user + ")");
      }
      if (r.leaving && r.leaveRepliedNanos != 0 && now - r.leaveRepliedNanos > TIMEOUT_NANOS) {
        stats.problem("no phx_close within 60 s of the leave reply", r.topic + " (" + user + ")");
        gone.add(r);
      }
      r.ownPending.entrySet().removeIf(m -> {
        if (now - m.getValue() > TIMEOUT_NANOS) {
          stats.problem("own new_msg not received back within 60 s", r.topic + " \"" + m.getKey() + "\"");
          lateOwn.add(m.getKey());
          return true;
        }
        return false;
      });
    }
    gone.forEach(this::roomGone);
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
