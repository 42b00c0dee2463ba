package dev.cinder.internal.netty.longpoll;

import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.Connect;
import dev.cinder.PubSub;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.internal.netty.longpoll.forward.PollAnswer;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.telemetry.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** What a forwarded GET may do to a session: cancel while held, and put back what its client never got. */
class LongPollSessionTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Telemetry telemetry = new Telemetry();
  private final SocketHandler handler = new SocketHandler() {
    @Override
    public void routes(dev.cinder.Routes routes) {}

    @Override
    public Connect connect(dev.cinder.Params params, dev.cinder.ConnectInfo info) {
      return Connect.ok(java.util.Map.of());
    }
  };
  private final SocketMount mount = new SocketMount("/socket", handler,
      SocketOptions.defaults().longPoll(true).longPollWindow(Duration.ofSeconds(5)), new LocalPubSub(), telemetry);
  private final LongPollSession session = new LongPollSession("id", "token", mount, () -> {});

  /** Records what the session answered. */
  private static final class Recorder implements PollAnswer {
    final List<String> messages = new ArrayList<>();
    long generation = -1;
    int status;

    @Override
    public void messages(List<String> taken, long answeredGeneration) {
      messages.addAll(taken);
      generation = answeredGeneration;
    }

    @Override
    public void status(int answered) {
      status = answered;
    }
  }

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  @Test
  void requeuedMessagesComeFirstWhenNoLaterAnswerWentOut() {
    session.send(Frame.text("m1"));
    Recorder vanished = new Recorder();
    session.poll(vanished, timer);
    assertThat(vanished.messages).containsExactly("m1");
    session.send(Frame.text("m2"));
    session.requeue(vanished.messages, vanished.generation);
    Recorder next = new Recorder();
    session.poll(next, timer);
    assertThat(next.messages).containsExactly("m1", "m2");
  }

  @Test
  void requeuedMessagesAreDroppedRatherThanDeliveredOutOfOrder() {
    session.send(Frame.text("m1"));
    Recorder vanished = new Recorder();
    session.poll(vanished, timer);
    session.send(Frame.text("m2"));
    Recorder later = new Recorder();
    session.poll(later, timer);
    assertThat(later.messages).containsExactly("m2");
    long dropsBefore = telemetry.drops();
    session.requeue(vanished.messages, vanished.generation);
    assertThat(telemetry.drops()).isEqualTo(dropsBefore + 1);
    session.send(Frame.text("m3"));
    Recorder last = new Recorder();
    session.poll(last, timer);
    assertThat(last.messages).containsExactly("m3");
  }

  @Test
  void aRequeueAnswersAPollHeldMeanwhile() {
    session.send(Frame.text("m1"));
    Recorder vanished = new Recorder();
    session.poll(vanished, timer);
    Recorder held = new Recorder();
    session.poll(held, timer);
    assertThat(held.messages).isEmpty();
    session.requeue(vanished.messages, vanished.generation);
    assertThat(held.messages).containsExactly("m1");
  }

  @Test
  void aCancelledPollIsNeverAnsweredAndTheMessagesWait() {
    Recorder cancelled = new Recorder();
    session.poll(cancelled, timer);
    assertThat(session.cancel(cancelled)).isTrue();
    assertThat(session.cancel(cancelled)).isFalse();
    session.send(Frame.text("m1"));
    assertThat(cancelled.messages).isEmpty();
    assertThat(cancelled.status).isZero();
    Recorder next = new Recorder();
    session.poll(next, timer);
    assertThat(next.messages).containsExactly("m1");
  }

  @Test
  void anEndedSessionAnswersHeldAndLaterPollsWith410() {
    Recorder held = new Recorder();
    session.poll(held, timer);
    session.close(1001, "test");
    assertThat(held.status).isEqualTo(410);
    Recorder later = new Recorder();
    session.poll(later, timer);
    assertThat(later.status).isEqualTo(410);
    session.requeue(List.of("late"), 0); // nothing to put back into
  }
}
