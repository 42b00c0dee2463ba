package dev.cinder.bench.runner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 6: N long-poll clients receiving broadcasts beside N WebSocket clients, on one Cinder server in one run.
 * Both fleets stay joined (on {@code bench:lp} and {@code bench:ws}) and every phase alternates between them, so
 * they see the same weather; only one topic takes broadcasts at a time. The server is the example when it serves
 * long-poll, else the bench's {@code MiniApp} ({@code --lpServer=auto|example|mini}).
 */
final class LongPollRun {
  private final Profile profile;
  private final Path runDir;
  private final String serverChoice;
  private final int rounds;
  private List<String> sameRate = List.of();

  LongPollRun(Profile profile, Path baseDir, Map<String, String> options) {
    this.profile = profile;
    this.runDir = BenchRunner.runDir(baseDir, profile.name());
    this.serverChoice = options.getOrDefault("lpServer", "auto");
    this.rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
  }

  String run() {
    long start = System.nanoTime();
    int n = profile.scales().getFirst();
    Server server = startServer();
    List<GeneratorProcess> generators = new ArrayList<>();
    List<Figures> all = new ArrayList<>();
    try {
      generators.add(GeneratorProcess.start(0, server, profile.sourcesPerGenerator(), 1, runDir, false));
      generators.add(GeneratorProcess.start(1, server, profile.sourcesPerGenerator(), 1, runDir, true));
      Scenarios ws = new Scenarios(server, server, List.of(generators.get(0)), "bench:ws", List.of("bench:ws"), true, false, runDir);
      Scenarios lp = new Scenarios(server, server, List.of(generators.get(1)), "bench:lp", List.of("bench:lp"), true, false, runDir);
      Cases.warmUp(ws, profile);
      Cases.warmUp(lp, profile);
      Server.sleep(16_000); // the warm-up's long-poll sessions end 1.5 windows after their last poll
      Figures w = new Figures("WebSocket", n);
      Figures l = new Figures("long-poll", n);
      all.addAll(List.of(w, l));
      measure(server, ws, w, lp, l);
    } finally {
      generators.forEach(GeneratorProcess::close);
      server.close();
    }
    Report report = new Report(all, "long-poll", "WebSocket", false);
    report.addComparison(sameRate, Report.fmt("Server: %s (%s). Both fleets joined at once on one server (%,d WebSocket clients on bench:ws, "
        + "%,d long-poll clients on bench:lp, one generator JVM each), phases alternating; %d burst rounds (median); run took %.0f s; "
        + "logs in %s", server.label, server.kind.mainClass, n, n, rounds, (System.nanoTime() - start) / 1e9, runDir));
    String text = report.toString();
    BenchRunner.write(runDir.resolve("results.md"), text);
    return text;
  }

  private void measure(Server server, Scenarios ws, Figures w, Scenarios lp, Figures l) {
    Server.Settled idle = server.settle(java.time.Duration.ofSeconds(20), null);
    long heap0 = idle.liveHeapBytes();
    long rss0 = idle.rssKiB();
    w.liveHeapIdleBytes = heap0;
    w.rssIdleKiB = rss0;
    ws.connect(w, 0, profile.connectsPerSecond());
    BenchRunner.log("WebSocket: %,d joined in %.1f s", w.joined, w.secondsToAll);
    l.liveHeapIdleBytes = w.liveHeapJoinedBytes; // the long-poll sessions' share is what they add on top
    l.rssIdleKiB = w.rssJoinedKiB;
    lp.connect(l, 0, profile.connectsPerSecond());
    BenchRunner.log("long-poll: %,d joined in %.1f s (refused or failed: %s)", l.joined, l.secondsToAll, l.refusals);
    List<Cases.Case> cases = List.of(new Cases.Case(ws, w), new Cases.Case(lp, l));
    sameRate = Cases.compare(cases, profile, rounds);
  }

  private Server startServer() {
    if (!serverChoice.equals("mini")) {
      // LONGPOLL=true: for an example that switches long-poll on from the environment; one that always serves it
      // (.longPoll(true) in ChatApp's SocketOptions) ignores it. Either way the probe below decides.
      ServerSpec spec = ServerSpec.of(Server.Kind.CINDER).withEnv(Map.of("LONGPOLL", "true"));
      Server example = Server.start(spec, BenchRunner.freePort(), runDir, profile.serverFlags());
      if (servesLongPoll(example)) {
        return example;
      }
      example.close();
      if (serverChoice.equals("example")) {
        throw new IllegalStateException("the example does not serve /socket/longpoll (needs .longPoll(true) in ChatApp)");
      }
      BenchRunner.log("the example does not serve /socket/longpoll yet: using the bench's MiniApp");
    }
    return Server.start(new ServerSpec(Server.Kind.MINI, "Cinder MiniApp", List.of(), Map.of()), BenchRunner.freePort(),
        runDir, profile.serverFlags());
  }

  /** A GET without a session token and without a user token: long-poll answers with JSON (403), else 404. */
  private static boolean servesLongPoll(Server server) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port + "/socket/longpoll?vsn=2.0.0")).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"status\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
