package dev.cinder.bench.runner;

import tools.jackson.databind.JsonNode;

/** The presence join storm's line in the report; an unrouted topic is a finding, not a crash. */
final class Presence {
  private Presence() {}

  static String describe(JsonNode p) {
    if (p == null) {
      return "Presence join storm: not run.";
    }
    int requested = p.get("requested").asInt();
    int unmatched = p.get("refused").path("unmatched topic").asInt(0);
    if (unmatched > 0) {
      return Report.fmt("Presence join storm (Cinder, bench_presence:storm): %d of %d joins refused with "
          + "\"unmatched topic\": the example routes no channel there yet (Presence is another issue), so no presence "
          + "figures.", unmatched, requested);
    }
    return Report.fmt("Presence join storm (Cinder, %d sockets on bench_presence:storm): %d joined in %.1f s "
        + "(join p50/p99 %s/%s ms), refused %s, failed %s; %d presence_state and %d presence_diff frames received; "
        + "bad frames %d.", requested, p.get("joined").asInt(), p.get("millisToAll").asLong() / 1000.0,
        Report.ms(dev.cinder.bench.client.Histo.decode(p.get("joinHisto").asString()), 50),
        Report.ms(dev.cinder.bench.client.Histo.decode(p.get("joinHisto").asString()), 99),
        p.get("refused"), p.get("failed"), p.get("presenceStates").asLong(), p.get("presenceDiffs").asLong(),
        p.get("badFrames").asLong());
  }
}
