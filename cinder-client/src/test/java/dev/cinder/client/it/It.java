package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.client.Backoff;
import dev.cinder.client.Channel;
import dev.cinder.client.Message;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** What the client's tests share: quick socket settings, bounded waits, and a recorder of what arrives. */
final class It {
  /** The longest any test waits for one thing. */
  static final Duration WAIT = Duration.ofSeconds(10);

  private It() {}

  /**
   * A socket builder with quick reconnects and rejoins. Heartbeats and timeouts stay long enough that a busy
   * machine does not trip them; tests about them set their own.
   */
  static Socket.Builder socket(String url) {
    return Socket.builder(url)
        .heartbeatInterval(Duration.ofSeconds(5))
        .timeout(Duration.ofSeconds(5))
        .reconnectBackoff(Backoff.fixed(Duration.ofMillis(50)))
        .rejoinBackoff(Backoff.fixed(Duration.ofMillis(50)));
  }

  /** A connected socket for {@code token}. */
  static Socket connected(String url, String token) {
    Socket socket = socket(url).params(Map.of("token", token)).build();
    get(socket.connect());
    return socket;
  }

  /** Joins and asserts the join was accepted. */
  static Channel joined(Socket socket, String topic) {
    Channel channel = socket.channel(topic);
    Reply reply = get(channel.join());
    assertThat(reply.status()).as("join of %s: %s", topic, reply).isEqualTo("ok");
    return channel;
  }

  /** The future's value within {@link #WAIT}; its failure as an AssertionError naming the cause. */
  static <T> T get(CompletableFuture<T> future) {
    try {
      return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no result within " + WAIT + ": " + e, e);
    }
  }

  /** Waits up to {@link #WAIT} for a condition. */
  static void await(String what, Callable<Boolean> condition) {
    Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(condition);
  }

  /** Waits up to {@link #WAIT} for a condition; on a timeout the failure says what {@code state} shows then. */
  static void await(String what, Callable<Boolean> condition, Supplier<?> state) {
    try {
      await(what, condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + ": not within " + WAIT + "; state: " + state.get(), e);
    }
  }

  /** Everything of one kind that arrived, in order, with waits on it. */
  static final class Recorder<T> {
    private final List<T> items = new CopyOnWriteArrayList<>();

    void add(T item) {
      items.add(item);
    }

    List<T> all() {
      return List.copyOf(items);
    }

    int size() {
      return items.size();
    }

    /** Waits until at least {@code n} arrived, and returns them all. */
    List<T> awaitCount(int n) {
      It.await(n + " items (have " + items + ")", () -> items.size() >= n);
      return all();
    }

    /** Waits for the first item matching, and returns it. */
    T await(Predicate<T> matcher) {
      It.await("a matching item (have " + items + ")", () -> items.stream().anyMatch(matcher));
      return items.stream().filter(matcher).findFirst().orElseThrow();
    }
  }

  /** Records the messages of one event of a channel. */
  static Recorder<Message> record(Channel channel, String event) {
    Recorder<Message> recorder = new Recorder<>();
    channel.on(event, recorder::add);
    return recorder;
  }
}
