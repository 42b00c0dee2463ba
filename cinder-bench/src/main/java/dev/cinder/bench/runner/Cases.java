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

  /** Burst rounds, the paced sweep and the latency run at half the sustained rate, alternating. */
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
  }

  /**
   * The whole comparison of {@code cases}: {@link #fanout}, then {@link #sameRate}, then {@link #finish}. Returns the
   * same-rate table's lines.
   */
  static List<String> compare(List<Case> cases, Profile profile, int burstRounds) {
    fanout(cases, profile, burstRounds);
    List<String> sameRate = sameRate(cases, profile);
    finish(cases);
    return sameRate;
  }

  /** The whole-run counters (bad frames, closes) of each case's generators, once everything ran. */
  static void finish(List<Case> cases) {
    for (Case c : cases) {
      c.scenarios().stats(c.figures());
    }
  }

  /**
   * Both cases paced at the same rate, the lower of their half-sustained rates: latency side by side with the same
   * load. Returns the Markdown lines: the rate, then per case p50 / p90 / p99 / p99.9 / max and server CPU per delivery.
   */
  static List<String> sameRate(List<Case> cases, Profile profile) {
    double rate = cases.stream().mapToDouble(c -> c.figures().halfRateMessagesPerSecond).min().orElseThrow();
    List<String> lines = new java.util.ArrayList<>();
    lines.add(Report.fmt("Same load for every case, %.1f messages/s (the lowest half-sustained rate above), %.0f s each:",
        rate, profile.pacedSeconds()));
    lines.add("");
    lines.add("| case | p50 / p90 / p99 (ms) | p99.9 / max (ms) | server CPU per delivery (µs) | lost, duplicates |");
    lines.add("|---|---:|---:|---:|---:|");
    for (Case c : cases) {
      Figures f = new Figures(c.figures().label, c.figures().scale);
      f.joined = c.figures().joined;
      c.scenarios().fixedRate(f, rate, profile.pacedSeconds(), c.scenarios().topics());
      lines.add(Report.fmt("| %s | %s / %s / %s | %s / %s | %.2f | %d of %d, %d |", f.label, Report.ms(f.latency, 50),
          Report.ms(f.latency, 90), Report.ms(f.latency, 99), Report.ms(f.latency, 99.9), Report.ms(f.latency, 100),
          f.pacedCpuMicrosPerDelivery, f.pacedLost, f.pacedLost + f.pacedDeliveries, f.duplicates));
      BenchRunner.log("%s at %.1f msg/s: p99 %s ms", f.label, rate, Report.ms(f.latency, 99));
    }
    return lines;
  }

  /** A few hundred clients join, take a burst and leave: JIT warm-up, measured into a discarded figure. */
  static void warmUp(Scenarios scenarios, Profile profile) {
    Figures scratch = new Figures("warm-up", Math.min(500, profile.scales().getFirst()));
    scenarios.connect(scratch, 0, profile.connectsPerSecond());
    scenarios.burst(scratch, profile.burstMessages());
    scenarios.closeAll();
  }
}
