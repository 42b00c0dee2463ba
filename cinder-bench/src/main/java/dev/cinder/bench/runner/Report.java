package dev.cinder.bench.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * The results table: one block per scale, a subject (Cinder) beside a reference measured in the same run (the raw
 * baseline; or epoll beside io_uring, WebSocket beside long-poll…), their ratio and, against the baseline, the
 * project's target. Rendered as Markdown so the same text goes to the terminal and to docs/benchmarks.md.
 */
final class Report {
  private final List<String> lines = new ArrayList<>();
  private final boolean targets;

  /** Cinder beside the baseline, with the project's targets (the quick and long profiles). */
  Report(List<Figures> all) {
    this(all, "Cinder", "baseline", true);
  }

  Report(List<Figures> all, String subject, String reference, boolean targets) {
    this.targets = targets;
    lines.add("| N | metric | " + subject + " | " + reference + " | " + subject + "/" + reference + " | "
        + (targets ? "target" : "") + " |");
    lines.add("|---:|---|---:|---:|---:|---|");
    for (int scale : all.stream().mapToInt(f -> f.scale).distinct().toArray()) {
      block(scale, find(all, subject, scale), find(all, reference, scale));
    }
  }

  private void block(int n, Figures c, Figures b) {
    text(n, "sockets joined / requested", f -> f.joined + "/" + f.requested, c, b, "");
    boolean memory = c != null && c.rssJoinedKiB > 0 || b != null && b.rssJoinedKiB > 0;
    if (memory) {
      text(n, "server open files (limit 20,000)", f -> Integer.toString(f.openFiles), c, b, "");
    }
    num(n, "time to N joined (s)", f -> f.secondsToAll, "%.1f", c, b, "");
    text(n, "join latency p50 / p99 (ms)", f -> ms(f.join, 50) + " / " + ms(f.join, 99), c, b, "");
    if (memory) {
      num(n, "RSS growth per joined socket, settled, as ps shows it (KiB)", Figures::kibPerSocket, "%.2f", c, b, "≤ 8 KiB");
      num(n, "live Java heap per joined socket (KiB, class histogram)", Figures::heapKibPerSocket, "%.2f", c, b, "");
      text(n, "RSS idle → joined, settled (MiB)", f -> mib(f.rssIdleKiB) + " → " + mib(f.rssJoinedKiB), c, b, "");
      num(n, "server CPU with N joined and idle (cores; only heartbeats)", f -> f.idleCores, "%.3f", c, b, "");
    }
    num(n, "fan-out burst deliveries/s (median of rounds)", Figures::deliveriesPerSecond, "%,.0f", c, b, "≥ 0.9x");
    num(n, "  the same as messages/s, each to all N", f -> f.deliveriesPerSecond() / f.joined, "%,.1f", c, b, "");
    num(n, "server CPU per delivery, burst (µs)", Figures::cpuMicrosPerDelivery, "%.2f", c, b,
        "≥ 0.9x: baseline/Cinder = " + ratio(b, c, Figures::cpuMicrosPerDelivery));
    num(n, "server CPU per delivery, paced (µs)", f -> f.pacedCpuMicrosPerDelivery, "%.2f", c, b,
        "baseline/Cinder = " + ratio(b, c, f -> f.pacedCpuMicrosPerDelivery));
    if (c != null && !c.pacedRoundMicros.isEmpty() || b != null && !b.pacedRoundMicros.isEmpty()) {
      text(n, "  the same per round of the latency run (µs)", f -> f.pacedRoundMicros.stream().map(x -> fmt("%.2f", x))
          .toList().toString(), c, b, "");
    }
    text(n, "server CPU in the kernel, burst", f -> fmt("%.0f%%", 100 * f.systemShare()), c, b, "");
    num(n, "generator CPU per delivery, burst (µs)", Figures::generatorCpuMicrosPerDelivery, "%.2f", c, b, "");
    text(n, "burst rounds: deliveries/s @ server µs", f -> f.burstRounds.stream()
        .map(r -> fmt("%,.0f@%.2f", r.deliveriesPerSecond(), r.cpuMicrosPerDelivery())).toList().toString(), c, b, "");
    text(n, "lost deliveries (burst + paced)", f -> (f.burstLost + f.pacedLost) + " of "
        + (f.burstDeliveries + f.burstLost + f.pacedDeliveries + f.pacedLost), c, b, "0");
    num(n, "max sustained paced rate (msg/s)", f -> f.maxSustainedMessagesPerSecond, "%.1f", c, b, "");
    text(n, "latency run: rate (msg/s) → deliveries/s", f -> fmt("%.1f → %,.0f", f.halfRateMessagesPerSecond,
        f.halfRateMessagesPerSecond * f.joined), c, b, "half the lower max");
    text(n, "broadcast latency p50 / p90 (ms)", f -> ms(f.latency, 50) + " / " + ms(f.latency, 90), c, b, "");
    text(n, "broadcast latency p99 / p99.9 / max (ms)",
        f -> ms(f.latency, 99) + " / " + ms(f.latency, 99.9) + " / " + ms(f.latency, 100), c, b, "p99 < 50 ms");
    if (c != null && c.echoOk + c.echoBad > 0 || b != null && b.echoOk + b.echoBad > 0) {
      num(n, "echo round trips/s", f -> f.echoPerSecond, "%,.0f", c, b, "");
      text(n, "echo p50 / p99 (ms)", f -> ms(f.echoRtt, 50) + " / " + ms(f.echoRtt, 99), c, b, "");
    }
    if (c != null && c.polledMessages + c.emptyPolls > 0 || b != null && b.polledMessages + b.emptyPolls > 0) {
      text(n, "long-poll: messages per GET answer (answers with messages; 204s)", f -> f.pollsWithMessages == 0 ? "-"
          : fmt("%.1f (%,d; %,d)", f.polledMessages / (double) f.pollsWithMessages, f.pollsWithMessages, f.emptyPolls), c, b, "");
    }
    text(n, "checks: bad frames, dup, bad echo, closes, failed POSTs",
        f -> f.badFrames + ", " + f.duplicates + ", " + f.echoBad + ", " + f.unexpectedCloses + ", " + f.publishFailures,
        c, b, "all 0");
  }

  private void num(int n, String metric, ToDoubleFunction<Figures> value, String format, Figures c, Figures b, String target) {
    String ratio = c == null || b == null ? "" : ratio(c, b, value);
    lines.add(row(n, metric, c == null ? "-" : number(format, value.applyAsDouble(c)),
        b == null ? "-" : number(format, value.applyAsDouble(b)), ratio, target));
  }

  private void text(int n, String metric, Function<Figures, String> value, Figures c, Figures b, String target) {
    lines.add(row(n, metric, c == null ? "-" : value.apply(c), b == null ? "-" : value.apply(b), "", target));
  }

  private static String number(String format, double value) {
    return Double.isNaN(value) ? "-" : fmt(format, value);
  }

  private static String ratio(Figures top, Figures bottom, ToDoubleFunction<Figures> value) {
    if (top == null || bottom == null) {
      return "-";
    }
    double r = value.applyAsDouble(top) / value.applyAsDouble(bottom);
    return Double.isNaN(r) || Double.isInfinite(r) ? "-" : fmt("%.2fx", r);
  }

  private String row(int n, String metric, String c, String b, String ratio, String target) {
    return "| " + String.format(Locale.ROOT, "%,d", n) + " | " + metric + " | " + c + " | " + b + " | " + ratio + " | "
        + (targets ? target : "") + " |";
  }

  static String ms(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      return "-";
    }
    long micros = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
    return fmt("%.1f", micros / 1000.0);
  }

  private static String mib(long kib) {
    return fmt("%.0f", kib / 1024.0);
  }

  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static Figures find(List<Figures> all, String label, int scale) {
    return all.stream().filter(f -> f.label.equals(label) && f.scale == scale).findFirst().orElse(null);
  }

  void add(String line) {
    lines.add(line);
  }

  /** Under the table: the same-rate comparison of {@link Cases#compare}, then what the run was. */
  void addComparison(List<String> sameRate, String description) {
    add("");
    sameRate.forEach(this::add);
    add("");
    add(description);
  }

  @Override
  public String toString() {
    return String.join("\n", lines) + "\n";
  }
}
