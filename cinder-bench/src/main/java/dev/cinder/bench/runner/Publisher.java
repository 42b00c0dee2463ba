package dev.cinder.bench.runner;

import dev.cinder.bench.wire.WallClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes fan-out messages through {@code POST /api/broadcast} with the admin token. Each payload is
 * {@code {"seq": i, "t": epoch µs}}: generators count deliveries per seq and measure latency from {@code t}.
 * A message goes to each of a list of topics in turn (one POST per topic, same seq and stamp): one topic, or a
 * hot topic's shards.
 */
public final class Publisher {
  /** Accepted and failed POSTs, and when publishing started and ended (epoch µs). */
  public record Result(int accepted, int failed, long startMicros, long endMicros) {}

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI uri;
  private final String bearer;
  /** MiniApp (and SpringMiniApp) takes {@code "topics"}: one POST broadcasts a message to every topic in turn, inside the server. */
  private final boolean oneRequestPerMessage;

  public Publisher(Server server) {
    this.uri = URI.create("http://127.0.0.1:" + server.port + "/api/broadcast");
    this.bearer = "Bearer " + server.adminToken;
    this.oneRequestPerMessage = server.kind == Server.Kind.MINI || server.kind == Server.Kind.SPRING;
  }

  /** As fast as the server answers: {@code window} POSTs in flight, stamped when sent. */
  public Result burst(List<String> topics, String event, int messages, int window) {
    if (oneRequestPerMessage && topics.size() > 1) {
      return burst(List.of(joined(topics)), event, messages, window);
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    int posts = messages * topics.size();
    long start = WallClock.micros();
    Thread[] senders = new Thread[window];
    for (int w = 0; w < window; w++) {
      senders[w] = Thread.ofVirtual().start(() -> {
        int i;
        while ((i = next.getAndIncrement()) < posts) {
          if (post(topics.get(i % topics.size()), event, i / topics.size(), WallClock.micros())) {
            ok.incrementAndGet();
          }
        }
      });
    }
    for (Thread t : senders) {
      join(t, Duration.ofMinutes(5));
    }
    return new Result(ok.get(), posts - ok.get(), start, WallClock.micros());
  }

  /**
   * Open loop at {@code perSecond}: message i is stamped with its intended send time, so a publisher or server
   * that falls behind shows up as latency instead of hiding it (no coordinated omission).
   */
  public Result paced(List<String> topics, String event, int messages, double perSecond) {
    if (oneRequestPerMessage && topics.size() > 1) {
      return paced(List.of(joined(topics)), event, messages, perSecond);
    }
    AtomicInteger ok = new AtomicInteger();
    Semaphore inFlight = new Semaphore(256);
    long start = WallClock.micros();
    for (int seq = 0; seq < messages; seq++) {
      long due = start + (long) (seq * 1e6 / perSecond);
      long wait = due - WallClock.micros();
      if (wait > 0) {
        Server.sleep(wait / 1000, (int) (wait % 1000) * 1000);
      }
      inFlight.acquireUninterruptibly();
      int s = seq;
      Thread.ofVirtual().start(() -> {
        try {
          for (String topic : topics) {
            if (post(topic, event, s, due)) {
              ok.incrementAndGet();
            }
          }
        } finally {
          inFlight.release();
        }
      });
    }
    inFlight.acquireUninterruptibly(256);
    return new Result(ok.get(), messages * topics.size() - ok.get(), start, WallClock.micros());
  }

  /** Several topics as one {@code "topics"} field's value, marked by a leading '[' (see {@link #post}). */
  private static String joined(List<String> topics) {
    return "[\"" + String.join("\",\"", topics) + "\"]";
  }

  private boolean post(String topic, String event, int seq, long stampMicros) {
    String target = topic.startsWith("[") ? "\"topics\":" + topic : "\"topic\":\"" + topic + "\"";
    String body = "{" + target + ",\"event\":\"" + event + "\",\"payload\":{\"seq\":" + seq
        + ",\"t\":" + stampMicros + "}}";
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Authorization", bearer).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 202;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void join(Thread t, Duration timeout) {
    try {
      t.join(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
