package dev.cinder.bench.soak;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What a soak user does while its session is open: one action at a time, at exponentially distributed intervals
 * (mean {@code actionSeconds}), every choice drawn from the client's seeded {@link Random}: 12% end the session,
 * 35% chat ({@code new_msg}, 30% of them between {@code typing} true and false), 15% ping, 10% change status,
 * 5% type without sending, 15% switch rooms, 8% join one more room (or leave one when in three). Runs on the
 * client's I/O thread.
 */
final class SoakActions {
  private static final String[] STATUSES = {"online", "away", "busy"};
  private static final String[] WORDS = {"hello", "anyone here?", "brb", "sounds good", "see you tomorrow", "ok"};

  private final SoakClient c;
  private final Random random;
  private int messages;

  SoakActions(SoakClient client, Random random) {
    this.c = client;
    this.random = random;
  }

  /** How many rooms a new session joins: 1 (60%), 2 (30%) or 3 (10%). */
  int roomsPerSession() {
    double r = random.nextDouble();
    return r < 0.6 ? 1 : r < 0.9 ? 2 : 3;
  }

  /** A room, with a skew: {@code room:soak-⌊rooms·u^1.5⌋}, so low numbers are the crowded rooms. */
  String room() {
    return "room:soak-" + (int) (c.fleet.rooms() * Math.pow(random.nextDouble(), 1.5));
  }

  long nextDelayMillis() {
    return (long) (-Math.log(1 - random.nextDouble()) * c.fleet.actionSeconds() * 1000);
  }

  /** One random step; false when it ended the session (no next step then). */
  boolean act() {
    double p = random.nextDouble();
    if (p < 0.12) {
      endSession();
      return false;
    }
    List<SoakRoom> live = c.rooms.values().stream().filter(SoakRoom::live).toList();
    if (live.isEmpty()) {
      if (c.rooms.isEmpty()) {
        c.join();
      }
      return true;
    }
    SoakRoom room = live.get(random.nextInt(live.size()));
    if (p < 0.47) {
      newMessage(room);
    } else if (p < 0.62) {
      String json = "{\"n\":" + random.nextInt(1_000_000) + ",\"from\":\"" + c.user + "\"}";
      c.push(room, "ping", json, SoakFrames.JSON.readTree(json), true);
      c.stats.count("ping sent");
    } else if (p < 0.72) {
      c.push(room, "update_status", "{\"status\":\"" + STATUSES[random.nextInt(STATUSES.length)] + "\"}", null, true);
      c.stats.count("update_status sent");
    } else if (p < 0.77) {
      typing(room, 1_000 + random.nextInt(2_000));
    } else if (p < 0.92) {
      c.leave(room);
      c.join();
    } else if (c.rooms.size() < 3) {
      c.join();
    } else {
      c.leave(room);
    }
    return true;
  }

  private void newMessage(SoakRoom room) {
    boolean typed = random.nextDouble() < 0.3;
    if (typed) {
      typing(room, 300 + random.nextInt(1_200));
    }
    String body = "m" + messages++ + " from " + c.user + ": " + WORDS[random.nextInt(WORDS.length)];
    room.ownPending.put(body, System.nanoTime());
    c.push(room, "new_msg", "{\"body\":\"" + body + "\"}", null, false);
    c.stats.count("new_msg sent");
  }

  /** typing true now, false after {@code millis} if the room is still live on this session. */
  private void typing(SoakRoom room, int millis) {
    c.push(room, "typing", "{\"typing\":true}", null, false);
    c.stats.count("typing sent");
    SoakTransport session = c.transport;
    c.loop.schedule(() -> {
      if (c.transport == session && c.rooms.get(room.topic) == room && room.live()) {
        c.push(room, "typing", "{\"typing\":false}", null, false);
        c.stats.count("typing sent");
      }
    }, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * WebSocket: leave every room then close 1000 (50%), close 1000 without leaving (25%), a TCP reset (20%), go
   * silent until the server's idle timeout (5%). Long-poll: leave then stop polling (60%), or just stop (40%).
   */
  private void endSession() {
    double p = random.nextDouble();
    if (c.fleet.longPoll()) {
      if (p < 0.6) {
        c.leaveAll("left, then stopped polling");
      } else {
        c.end("stopped polling without leaving", false);
      }
    } else if (p < 0.5) {
      c.leaveAll("left, then closed (1000)");
    } else if (p < 0.75) {
      c.end("closed (1000) without leaving", false);
    } else if (p < 0.95) {
      c.end("TCP reset without leaving", true);
    } else {
      c.silence("went silent until the server's idle timeout");
    }
  }
}
