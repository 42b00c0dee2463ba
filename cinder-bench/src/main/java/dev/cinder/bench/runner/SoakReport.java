package dev.cinder.bench.runner;

import dev.cinder.bench.client.Histo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/** The soak's figures, its tables (Markdown, like every other profile) and its PASS/FAIL checks. */
final class SoakReport {
  /** A check of the soak: its line reads {@code PASS name: detail} or {@code FAIL name: detail}. */
  record Check(String name, boolean pass, String detail) {}

  /** ERROR and WARN lines the server logged after it started. */
  record LogScan(int errors, int warnings, List<String> samples) {}

  String settings = "";
  String footer = "";
  double heapSlackMiB;
  ServerMetrics idle;
  ServerMetrics start;
  ServerMetrics end;
  ServerMetrics agreement;
  ServerMetrics last;
  long warmupProblems;
  double warmupIdleSeconds;
  double idleSeconds = Double.NaN;
  double agreementSeconds;
  long heap0;
  long heap1;
  String histogram0 = "";
  String histogram1 = "";
  Map<String, Integer> fd0 = Map.of();
  Map<String, Integer> fd1 = Map.of();
  long rss0;
  long rss1;
  int threads0;
  int threads1;
  double cpuShare;
  double[] generatorCpuShare = {0, 0};
  Map<String, Long> peaks = Map.of();
  long clientSockets;
  long clientChannels;
  List<JsonNode> verify = List.of();
  List<JsonNode> finals = List.of();
  LogScan serverLog = new LogScan(0, 0, List.of());

  List<Check> checks() {
    List<Check> out = new ArrayList<>();
    for (String g : ServerMetrics.GAUGES) {
      double a = idle.get(g);
      double b = last == null ? Double.NaN : last.get(g);
      out.add(new Check(g + " back to its idle value", !Double.isNaN(a) && a == b,
          Report.fmt("idle %s, after the soak %s (%s)", num(a), num(b), Double.isNaN(idleSeconds) ? "not within the deadline"
              : Report.fmt("%.1f s after the last client left", idleSeconds))));
    }
    double growth = (heap1 - heap0) / 1048576.0;
    out.add(new Check("live heap after a full GC within " + fmt(heapSlackMiB) + " MiB of the start", heap1 > 0 && growth <= heapSlackMiB,
        Report.fmt("%.1f MiB at the start, %.1f MiB at the end (%+.1f MiB)", heap0 / 1048576.0, heap1 / 1048576.0, growth)));
    out.add(new Check("no file descriptor leaked", total(fd1) <= total(fd0) && total(fd1) > 0,
        Report.fmt("%d open at the start, %d at the end%s", total(fd0), total(fd1), fdGrowth())));
    long problems = finals.stream().mapToLong(r -> sum(r.path("problems"))).sum();
    out.add(new Check("no client saw a protocol problem", problems + warmupProblems == 0 && !finals.isEmpty(),
        Report.fmt("%d in the soak, %d in the warm-up (by kind below)", problems, warmupProblems)));
    boolean agreed = agreement != null && agreement.gauge("cinder_sockets") == clientSockets
        && agreement.gauge("cinder_channels") == clientChannels && agreement.gauge("cinder_presences") == clientChannels;
    out.add(new Check("at the end of the run the server held what the clients held", agreed,
        Report.fmt("clients: %d sessions, %d channels and presences; server: %s", clientSockets, clientChannels,
            agreement == null ? "-" : agreement.gauges())));
    long checked = verify.stream().mapToLong(v -> v.path("listsChecked").asLong()).sum();
    long wrong = verify.stream().mapToLong(v -> v.path("mismatches").asLong()).sum();
    out.add(new Check("every client's presence lists right at the end of the run", checked > 0 && wrong == 0,
        Report.fmt("%d of %d lists differ from the rooms' members", wrong, checked)));
    out.add(new Check("server idle again after the warm-up", !Double.isNaN(warmupIdleSeconds),
        Double.isNaN(warmupIdleSeconds) ? "not within the deadline" : Report.fmt("after %.1f s", warmupIdleSeconds)));
    out.add(new Check("no ERROR in the server log", serverLog.errors() == 0,
        Report.fmt("%d ERROR, %d WARN lines", serverLog.errors(), serverLog.warnings())));
    return out;
  }

  boolean passed() {
    return checks().stream().allMatch(Check::pass);
  }

  String render() {
    List<String> l = new ArrayList<>();
    l.add("Soak: " + settings + ".");
    l.add("");
    l.add("| server figure | idle (start) | after the soak | check |");
    l.add("|---|---:|---:|---|");
    List<Check> checks = checks();
    for (int i = 0; i < ServerMetrics.GAUGES.size(); i++) {
      String g = ServerMetrics.GAUGES.get(i);
      l.add(Report.fmt("| %s | %s | %s | %s |", g, num(idle.get(g)), last == null ? "-" : num(last.get(g)), verdict(checks.get(i))));
    }
    int c = ServerMetrics.GAUGES.size();
    l.add(Report.fmt("| live heap after a full GC (MiB) | %.1f | %.1f (%+.1f) | %s |", heap0 / 1048576.0, heap1 / 1048576.0,
        (heap1 - heap0) / 1048576.0, verdict(checks.get(c))));
    l.add(Report.fmt("| open file descriptors | %d | %d | %s |", total(fd0), total(fd1), verdict(checks.get(c + 1))));
    l.add(Report.fmt("| threads | %d | %d | |", threads0, threads1));
    l.add(Report.fmt("| RSS (MiB; the 1 GiB heap is pre-touched) | %d | %d | |", rss0 / 1024, rss1 / 1024));
    l.add(Report.fmt("| seconds from the last client's leave to idle gauges | | %s | |", num1(idleSeconds)));
    l.add("");
    clientTable(l);
    l.add("");
    serverTable(l);
    l.add("");
    problems(l);
    l.add("");
    l.add(footer);
    l.add("");
    for (Check check : checks) {
      l.add((check.pass() ? "PASS " : "FAIL ") + check.name() + ": " + check.detail());
    }
    l.add(passed() ? "PASS soak" : "FAIL soak");
    return String.join("\n", l) + "\n";
  }

  private void clientTable(List<String> l) {
    l.add("| clients, during the soak | WebSocket | long-poll | all |");
    l.add("|---|---:|---:|---:|");
    TreeSet<String> names = new TreeSet<>();
    finals.forEach(f -> f.path("counts").properties().forEach(e -> names.add(e.getKey())));
    l.add(row("clients", f -> f.path("clients").asLong()));
    for (String name : names) {
      l.add(row(name, f -> f.path("counts").path(name).asLong()));
    }
    l.add(latency("join reply p50 / p99 / max (ms)", "joinReplyHisto"));
    l.add(latency("reply to ping, update_status, leave, heartbeat p50 / p99 / max (ms)", "pushReplyHisto"));
    l.add(latency("own new_msg back p50 / p99 / max (ms)", "ownMessageHisto"));
    l.add(latency("generator I/O thread lateness p50 / p99 / max (ms)", "loopLagHisto"));
    l.add(Report.fmt("| generator process CPU, mean (%% of a core) | %.0f | %.0f | %.0f |", 100 * generatorCpuShare[0],
        100 * generatorCpuShare[1], 100 * (generatorCpuShare[0] + generatorCpuShare[1])));
    l.add(row("protocol problems", f -> sum(f.path("problems"))));
  }

  private void serverTable(List<String> l) {
    l.add("| server, during the soak | |");
    l.add("|---|---:|");
    peaks.forEach((k, v) -> l.add(Report.fmt("| peak %s | %,d |", k, v)));
    l.add(Report.fmt("| server CPU, mean | %.0f%% of a core |", 100 * cpuShare));
    for (String counter : List.of("cinder_broadcasts_total", "cinder_deliveries_total", "cinder_drops_total",
        "cinder_rate_limited_total", "cinder_slow_consumer_closes_total")) {
      l.add(Report.fmt("| %s during the soak | %s |", counter, num(end.get(counter) - start.get(counter))));
    }
    delta(l, "cinder_transport_errors_total");
    delta(l, "cinder_socket_connect_seconds_count");
    l.add(Report.fmt("| after the run: clients' sessions / channels → server's sockets, channels, presences | %d / %d → %s (%.1f s) |",
        clientSockets, clientChannels, agreement == null ? "-" : agreement.gauges(), agreementSeconds));
    long checked = verify.stream().mapToLong(v -> v.path("listsChecked").asLong()).sum();
    long wrong = verify.stream().mapToLong(v -> v.path("mismatches").asLong()).sum();
    l.add(Report.fmt("| presence lists checked / wrong | %,d / %,d |", checked, wrong));
    l.add(Report.fmt("| server log: ERROR / WARN lines | %d / %d |", serverLog.errors(), serverLog.warnings()));
    l.add(Report.fmt("| live heap growth by class, largest (bytes) | %s |", heapGrowth()));
  }

  private void delta(List<String> l, String metric) {
    Map<String, Double> before = start.all(metric);
    end.all(metric).forEach((labels, v) -> l.add(Report.fmt("| %s%s during the soak | %s |", metric, labels,
        num(v - before.getOrDefault(labels, 0.0)))));
  }

  private void problems(List<String> l) {
    Map<String, Long> kinds = new TreeMap<>();
    Map<String, List<String>> samples = new TreeMap<>();
    for (JsonNode f : finals) {
      f.path("problems").properties().forEach(e -> kinds.merge(e.getKey(), e.getValue().asLong(), Long::sum));
      f.path("samples").properties().forEach(e -> e.getValue().forEach(s ->
          samples.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(s.asString())));
    }
    verify.forEach(v -> v.path("samples").forEach(s -> samples.computeIfAbsent("presence list wrong", k -> new ArrayList<>())
        .add(s.asString())));
    l.add(kinds.isEmpty() ? "Protocol problems: none." : "Protocol problems by kind:");
    kinds.forEach((k, v) -> l.add(Report.fmt("- %s: %,d (e.g. %s)", k, v, samples.getOrDefault(k, List.of()))));
    if (samples.containsKey("presence list wrong")) {
      l.add("- presence lists wrong, e.g.: " + samples.get("presence list wrong"));
    }
    serverLog.samples().forEach(s -> l.add("- server log: " + s));
  }

  private String row(String name, java.util.function.ToLongFunction<JsonNode> value) {
    long ws = finals.isEmpty() ? 0 : value.applyAsLong(finals.get(0));
    long lp = finals.size() < 2 ? 0 : value.applyAsLong(finals.get(1));
    return Report.fmt("| %s | %,d | %,d | %,d |", name, ws, lp, ws + lp);
  }

  private String latency(String name, String field) {
    List<String> cells = new ArrayList<>();
    Histogram all = new Histogram(3);
    for (JsonNode f : finals) {
      Histogram h = f.hasNonNull(field) ? Histo.decode(f.get(field).asString()) : new Histogram(3);
      all.add(h);
      cells.add(Report.ms(h, 50) + " / " + Report.ms(h, 99) + " / " + Report.ms(h, 100));
    }
    while (cells.size() < 2) {
      cells.add("-");
    }
    return "| " + name + " | " + cells.get(0) + " | " + cells.get(1) + " | "
        + Report.ms(all, 50) + " / " + Report.ms(all, 99) + " / " + Report.ms(all, 100) + " |";
  }

  private String fdGrowth() {
    List<String> grew = new ArrayList<>();
    fd1.forEach((k, v) -> {
      int before = fd0.getOrDefault(k, 0);
      if (v > before) {
        grew.add(k + " +" + (v - before));
      }
    });
    return grew.isEmpty() ? "" : "; grew: " + grew;
  }

  /** The classes whose live bytes grew most between the two class histograms. */
  private String heapGrowth() {
    Map<String, Long> a = histogram(histogram0);
    Map<String, Long> b = histogram(histogram1);
    return b.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - a.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
        .map(e -> Report.fmt("%s %+,d", e.getKey(), e.getValue())).toList().toString();
  }

  private static Map<String, Long> histogram(String text) {
    Map<String, Long> out = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)").matcher(text);
    while (m.find()) {
      out.merge(m.group(2), Long.parseLong(m.group(1)), Long::sum);
    }
    return out;
  }

  static LogScan scanLog(Path log, long from) {
    int errors = 0;
    int warnings = 0;
    List<String> samples = new ArrayList<>();
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      f.seek(from);
      byte[] rest = new byte[(int) Math.min(Integer.MAX_VALUE - 8, f.length() - from)];
      f.readFully(rest);
      for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
        boolean error = line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR .*");
        boolean warn = line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN .*");
        errors += error ? 1 : 0;
        warnings += warn ? 1 : 0;
        if ((error || warn) && samples.size() < 5) {
          samples.add(line.length() > 240 ? line.substring(0, 240) + "…" : line);
        }
      }
    } catch (IOException e) {
      samples.add("could not read the server log: " + e);
    }
    return new LogScan(errors, warnings, samples);
  }

  static long sum(JsonNode counts) {
    long total = 0;
    for (JsonNode v : counts) {
      total += v.asLong();
    }
    return total;
  }

  static int total(Map<String, Integer> kinds) {
    return kinds.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static String verdict(Check c) {
    return c.pass() ? "PASS" : "**FAIL**";
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "absent" : Report.fmt("%,.0f", v);
  }

  private static String num1(double v) {
    return Double.isNaN(v) ? "not within the deadline" : Report.fmt("%.1f", v);
  }

  private static String fmt(double v) {
    return Report.fmt("%.0f", v);
  }
}
