package dev.cinder.bench.soak;

import dev.cinder.bench.client.Histo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients of one soak generator did and saw: activity counts, latencies, and every protocol problem by
 * kind with a few sample details each. A problem is anything a correct server would never make a client see; the
 * expected refusals (a {@code rate_limited} error) are counted apart.
 */
final class SoakStats {
  private static final int SAMPLES_PER_KIND = 3;
  private static final int MAX_KINDS = 64;

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> problems = new ConcurrentHashMap<>();
  private final Map<String, List<String>> samples = new ConcurrentHashMap<>();
  final Histo joinReply = new Histo();
  final Histo pushReply = new Histo();
  final Histo ownMessage = new Histo();
  final Histo loopLag = new Histo();

  /** Adds one to an activity count (sessions, joins, messages sent…). */
  void count(String what) {
    add(what, 1);
  }

  void add(String what, long n) {
    counts.computeIfAbsent(what, k -> new LongAdder()).add(n);
  }

  long count0(String what) {
    LongAdder a = counts.get(what);
    return a == null ? 0 : a.sum();
  }

  /** A protocol problem: {@code kind} is a fixed phrase (the table's row), {@code detail} says where and what. */
  void problem(String kind, String detail) {
    String k = problems.size() >= MAX_KINDS && !problems.containsKey(kind) ? "other problems" : kind;
    problems.computeIfAbsent(k, x -> new LongAdder()).increment();
    List<String> list = samples.computeIfAbsent(k, x -> java.util.Collections.synchronizedList(new ArrayList<>()));
    if (list.size() < SAMPLES_PER_KIND) {
      list.add(detail.length() > 300 ? detail.substring(0, 300) + "…" : detail);
    }
  }

  long problemCount() {
    return problems.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** The result line's part: counts, problems with samples, histograms (encoded). */
  Map<String, Object> report() {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Long> c = new TreeMap<>();
    counts.forEach((k, v) -> c.put(k, v.sum()));
    out.put("counts", c);
    Map<String, Long> p = new TreeMap<>();
    problems.forEach((k, v) -> p.put(k, v.sum()));
    out.put("problems", p);
    Map<String, List<String>> s = new TreeMap<>();
    samples.forEach((k, v) -> {
      synchronized (v) {
        s.put(k, List.copyOf(v));
      }
    });
    out.put("samples", s);
    out.put("joinReplyHisto", joinReply.encode());
    out.put("pushReplyHisto", pushReply.encode());
    out.put("ownMessageHisto", ownMessage.encode());
    out.put("loopLagHisto", loopLag.encode());
    return out;
  }
}
