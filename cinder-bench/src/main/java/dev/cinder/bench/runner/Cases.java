package dev.cinder.bench.runner;

import java.util.List;

/**
 * Cases measured side by side in one run — long-poll beside WebSocket, two nodes beside one — each a set of
 * joined clients ({@link Scenarios}) with its {@link Figures}. Every phase alternates between the cases, so
 * they see the same weather on a shared machine; one takes broadcasts at a time.
 */
final class Cases {
  record Case(Scenarios scenarios, Figures figures) {}

  private Cases() {}

  /** Burst rounds, the paced sweep, the latency run at half the sustained rate and the counters, alternating. */
  static void fanout(List<Case> cases, Profile profile, int burstRounds) {
    for (int round = 0; round < burstRounds; round++) {
      for (Case c : cases) {
        c.scenarios().burst(c.figures(), profile.burstMessages());
        Figures.Burst r = c.figures().burstRounds.getLast();
        BenchRunner.log("%s: burst %,.0f deliveries/s, %.2f µs server CPU each (generators %.2f µs)", c.figures().label,
            r.deliveriesPerSecond(), r.cpuMicrosPerDelivery(), r.generatorCpuMicrosPerDelivery());
      }
    }
    for (Case c : cases) {
      c.scenarios().sweep(c.figures(), Math.max(3, profile.pacedSeconds() / 2), profile.sweepSteps());
    }
    for (Case c : cases) {
      c.scenarios().halfRate(c.figures(), profile.pacedSeconds());
      BenchRunner.log("%s: paced at %.1f msg/s, p99 %s ms, %d lost", c.figures().label,
          c.figures().halfRateMessagesPerSecond, Report.ms(c.figures().latency, 99), c.figures().pacedLost);
    }
    for (Case c : cases) {
      c.scenarios().stats(c.figures());
    }
  }

  /** A few hundred clients join, take a burst and leave: JIT warm-up, measured into a discarded figure. */
  static void warmUp(Scenarios scenarios, Profile profile) {
    Figures scratch = new Figures("warm-up", Math.min(500, profile.scales().getFirst()));
    scenarios.connect(scratch, 0, profile.connectsPerSecond());
    scenarios.burst(scratch, profile.burstMessages());
    scenarios.closeAll();
  }
}
