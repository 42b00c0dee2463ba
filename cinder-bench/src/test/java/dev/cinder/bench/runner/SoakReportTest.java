package dev.cinder.bench.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The soak's verdicts: each check fails on its own cause, and the whole run passes only when all pass. */
class SoakReportTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String METRICS = """
      # HELP cinder_sockets open sockets
      # TYPE cinder_sockets gauge
      cinder_sockets %d.0
      cinder_channels 0.0
      cinder_presences 0.0
      cinder_topics 2.0
      cinder_transport_errors_total{kind="io",transport="websocket"} 3.0
      """;

  @Test
  void metricsAreReadBySeriesAndLabels() {
    ServerMetrics m = ServerMetrics.parse(METRICS.formatted(5));
    assertThat(m.gauge("cinder_sockets")).isEqualTo(5);
    assertThat(m.get("cinder_missing")).isNaN();
    assertThat(m.all("cinder_transport_errors_total")).isEqualTo(Map.of("{kind=\"io\",transport=\"websocket\"}", 3.0));
    assertThat(m.gaugesEqual(ServerMetrics.parse(METRICS.formatted(0)))).isFalse();
  }

  @Test
  void aCleanSoakPasses() {
    SoakReport r = clean();
    assertThat(r.checks()).allMatch(SoakReport.Check::pass);
    assertThat(r.render()).contains("PASS soak").doesNotContain("FAIL");
  }

  @Test
  void eachLeakOrErrorFailsItsOwnCheck() {
    SoakReport r = clean();
    r.last = ServerMetrics.parse(METRICS.formatted(1));
    r.heap1 = r.heap0 + 5 * 1048576L;
    r.fd1 = Map.of("socket", 3, "pipe", 2);
    r.finals = List.of(JSON.readTree("{\"problems\":{\"no reply within 60 s\":1},\"counts\":{}}"));
    r.verify = List.of(JSON.readTree("{\"listsChecked\":10,\"mismatches\":1}"));
    assertThat(r.checks().stream().filter(c -> !c.pass()).map(SoakReport.Check::name)).containsExactly(
        "cinder_sockets back to its idle value", "live heap after a full GC within 4 MiB of the start", "no file descriptor leaked",
        "no client saw a protocol problem", "every client's presence lists right at the end of the run");
    assertThat(r.passed()).isFalse();
  }

  private static SoakReport clean() {
    SoakReport r = new SoakReport();
    r.heapSlackMiB = 4;
    r.idle = ServerMetrics.parse(METRICS.formatted(0));
    r.start = r.idle;
    r.end = r.idle;
    r.last = r.idle;
    r.agreement = r.idle;
    r.idleSeconds = 1;
    r.warmupIdleSeconds = 1;
    r.heap0 = 10 * 1048576L;
    r.heap1 = r.heap0 + 1048576L;
    r.fd0 = Map.of("socket", 3, "pipe", 1);
    r.fd1 = r.fd0;
    r.finals = List.of(JSON.readTree("{\"problems\":{},\"counts\":{}}"));
    r.verify = List.of(JSON.readTree("{\"listsChecked\":10,\"mismatches\":0}"));
    return r;
  }
}
