package dev.cinder.bench.soak;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What never came, for a soak client: checked every 5 s and when a session ends. Anything older than
 * {@link SoakClient#TIMEOUT_NANOS} is a problem — a reply, a step of a join's sequence, the {@code phx_close} after a
 * leave's reply, the client's own message back — and a room whose join or leave went unanswered is given up.
 */
final class SoakDeadlines {
  private SoakDeadlines() {}

  /** Reports what is overdue: replies, join steps, phx_close after a leave, own messages. */
  static void sweep(SoakClient c, long now) {
    List<SoakRoom> gone = new ArrayList<>();
    for (Iterator<Map.Entry<String, SoakClient.Pending>> it = c.pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, SoakClient.Pending> e = it.next();
      SoakClient.Pending p = e.getValue();
      if (now - p.sentNanos() > SoakClient.TIMEOUT_NANOS) {
        c.stats.problem("no reply within 60 s", p.event() + " on " + p.topic() + " (" + c.user + ")");
        c.lateRefs.add(e.getKey());
        it.remove();
        SoakRoom r = c.rooms.get(p.topic());
        if (r != null && (p.event().equals("phx_join") && r.joinRef.equals(e.getKey()) || p.event().equals("phx_leave"))) {
          gone.add(r); // its join or leave will not be answered: give the room up
        }
      }
    }
    for (SoakRoom r : c.rooms.values()) {
      if (!r.reported && !r.leaving && r.stage != SoakRoom.Stage.JOINING && now - r.joinedNanos > SoakClient.TIMEOUT_NANOS && !r.live()) {
        r.reported = true;
        c.stats.problem(r.stage == SoakRoom.Stage.LIVE ? "no user_joined for self within 60 s of the join reply"
            : "join sequence incomplete 60 s after the join reply", r.topic + " at " + r.stage + " (" + c.user + ")");
      }
      if (r.leaving && r.leaveRepliedNanos != 0 && now - r.leaveRepliedNanos > SoakClient.TIMEOUT_NANOS) {
        c.stats.problem("no phx_close within 60 s of the leave reply", r.topic + " (" + c.user + ")");
        gone.add(r);
      }
      r.ownPending.entrySet().removeIf(m -> {
        if (now - m.getValue() > SoakClient.TIMEOUT_NANOS) {
          c.stats.problem("own new_msg not received back within 60 s", r.topic + " \"" + m.getKey() + "\"");
          c.lateOwn.add(m.getKey());
          return true;
        }
        return false;
      });
    }
    gone.forEach(c::roomGone);
  }
}
