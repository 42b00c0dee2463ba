package dev.cinder.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cinder.support.RecordingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OffloaderTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final RecordingContext ctx = RecordingContext.of("room:1", "alice");
  private final CountDownLatch gate = new CountDownLatch(1);
  private Offloader offloader = Offloader.builder().maxConcurrent(3).maxPerChannel(2).build();

  @AfterEach
  void release() {
    gate.countDown();
    offloader.close();
  }

  private Object blocked() throws InterruptedException {
    gate.await();
    return "done";
  }

  @Test
  void theValueComesBackToHandleInfoWithItsTag() throws Exception {
    assertThat(offloader.submit(ctx, "job-1", () -> 6 * 7)).isEqualTo(Admission.ACCEPTED);
    assertThat(ctx.nextInfo(WAIT)).isEqualTo(new JobResult.Completed("job-1", 42));
    await().atMost(WAIT).until(() -> offloader.running() == 0 && offloader.running(ctx) == 0);
  }

  @Test
  void theValueCanBeBroadcastToTheTopic() throws Exception {
    offloader.submitAndBroadcast(ctx, "result", () -> Map.of("result", "abc"));
    RecordingContext.Sent sent = ctx.nextBroadcast(WAIT);
    assertThat(sent.event()).isEqualTo("result");
    assertThat(sent.payload().string("result")).isEqualTo("abc");
    assertThat(ctx.infos).isEmpty();
  }

  @Test
  void anExceptionIsReportedNotLost() throws Exception {
    offloader.submit(ctx, "bad", () -> {
      throw new IllegalStateException("boom");
    });
    Object info = ctx.nextInfo(WAIT);
    assertThat(info).isInstanceOfSatisfying(JobResult.Failed.class, failed -> {
      assertThat(failed.tag()).isEqualTo("bad");
      assertThat(failed.error()).hasMessage("boom");
    });
    offloader.submitAndBroadcast(ctx, "result", () -> {
      throw new java.io.IOException("disk");
    });
    assertThat(((JobResult.Failed) ctx.nextInfo(WAIT)).tag()).isEqualTo("result");
    assertThat(ctx.broadcasts).isEmpty();
  }

  @Test
  void aValueThatCannotBeBroadcastIsReportedAsAFailure() throws Exception {
    offloader.submitAndBroadcast(ctx, "result", () -> new Unencodable("x"));
    assertThat(ctx.nextInfo(WAIT)).isInstanceOf(JobResult.Failed.class);
  }

  /** A value whose encoding to JSON throws. */
  record Unencodable(String field) {
    @Override
    public String field() {
      throw new IllegalStateException("cannot encode");
    }
  }

  @Test
  void theChannelBoundRefusesAtOnceAndFreesWhenAJobEnds() throws Exception {
    assertThat(offloader.submit(ctx, 1, this::blocked)).isEqualTo(Admission.ACCEPTED);
    assertThat(offloader.submit(ctx, 2, this::blocked)).isEqualTo(Admission.ACCEPTED);
    assertThat(offloader.submit(ctx, 3, this::blocked)).isEqualTo(Admission.CHANNEL_BUSY);
    assertThat(offloader.running(ctx)).isEqualTo(2);
    RecordingContext other = RecordingContext.of("room:1", "bob");
    assertThat(offloader.submit(other, 4, this::blocked)).isEqualTo(Admission.ACCEPTED);
    assertThat(offloader.submit(RecordingContext.of("room:2", "carol"), 5, this::blocked)).isEqualTo(Admission.BUSY);
    gate.countDown();
    for (int i = 0; i < 2; i++) {
      assertThat(ctx.nextInfo(WAIT)).isInstanceOf(JobResult.Completed.class);
    }
    await().atMost(WAIT).until(() -> offloader.running() == 0);
    assertThat(offloader.submit(ctx, 6, () -> "again")).isEqualTo(Admission.ACCEPTED);
  }

  @Test
  void theKeyBoundSharesTheSlotsBetweenUsersAcrossTheirChannels() throws Exception {
    offloader = Offloader.builder().maxConcurrent(10).maxPerChannel(2)
        .maxPerKey(3, c -> c.assigns().get("user_id")).build();
    RecordingContext room1 = RecordingContext.of("room:1", "alice");
    RecordingContext room2 = RecordingContext.of("room:2", "alice");
    assertThat(offloader.submit(room1, 1, this::blocked)).isEqualTo(Admission.ACCEPTED);
    assertThat(offloader.submit(room1, 2, this::blocked)).isEqualTo(Admission.ACCEPTED);
    assertThat(offloader.submit(room2, 3, this::blocked)).isEqualTo(Admission.ACCEPTED);
    assertThat(offloader.submit(room2, 4, this::blocked)).as("alice's share is used up").isEqualTo(Admission.KEY_BUSY);
    assertThat(offloader.submit(RecordingContext.of("room:3", "alice"), 5, this::blocked)).isEqualTo(Admission.KEY_BUSY);
    assertThat(offloader.runningForKey("alice")).isEqualTo(3);
    assertThat(offloader.running(room2)).as("a refused job holds nothing").isEqualTo(1);
    assertThat(offloader.running()).isEqualTo(3);
    assertThat(offloader.submit(RecordingContext.of("room:2", "bob"), 6, this::blocked)).isEqualTo(Admission.ACCEPTED);
    gate.countDown();
    for (RecordingContext done : java.util.List.of(room1, room1, room2)) {
      assertThat(done.nextInfo(WAIT)).isInstanceOf(JobResult.Completed.class);
    }
    await().atMost(WAIT).until(() -> offloader.running() == 0 && offloader.runningForKey("alice") == 0);
    assertThat(offloader.submit(room2, 7, () -> "again")).isEqualTo(Admission.ACCEPTED);
  }

  @Test
  void withoutAKeyBoundOrWithANullKeyOnlyTheOtherBoundsApply() throws Exception {
    offloader = Offloader.builder().maxConcurrent(10).maxPerChannel(5).maxPerKey(1, c -> null).build();
    for (int i = 0; i < 5; i++) {
      assertThat(offloader.submit(ctx, i, this::blocked)).isEqualTo(Admission.ACCEPTED);
    }
    assertThat(offloader.submit(ctx, 5, this::blocked)).isEqualTo(Admission.CHANNEL_BUSY);
  }

  @Test
  void aJobPastItsTimeoutIsInterruptedAndReported() throws Exception {
    offloader = Offloader.builder().timeout(Duration.ofMillis(100)).build();
    offloader.submit(ctx, "endless", () -> {
      new CountDownLatch(1).await(); // ends only when interrupted: any report before that is the timeout's
      return "never";
    });
    Object info = ctx.nextInfo(WAIT);
    assertThat(info).isInstanceOfSatisfying(JobResult.Failed.class,
        failed -> assertThat(failed.error()).isInstanceOf(TimeoutException.class));
    await().atMost(WAIT).until(() -> offloader.running() == 0); // the wait was interrupted
    // A job reports before it leaves running(): whatever it sent after its interruption is here by now.
    assertThat(ctx.nextInfo(Duration.ZERO)).as("reported once").isNull();
  }

  @Test
  void closeInterruptsRunningJobsAndRefusesNewOnes() throws Exception {
    offloader.submit(ctx, "long", this::blocked);
    offloader.close();
    assertThat(ctx.nextInfo(WAIT)).isInstanceOfSatisfying(JobResult.Failed.class,
        failed -> assertThat(failed.error()).isInstanceOf(InterruptedException.class));
    assertThat(offloader.submit(ctx, "late", () -> 1)).isEqualTo(Admission.CLOSED);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> Offloader.builder().maxConcurrent(0)).hasMessageContaining("maxConcurrent");
    assertThatThrownBy(() -> Offloader.builder().maxPerChannel(0)).hasMessageContaining("maxPerChannel");
    assertThatThrownBy(() -> Offloader.builder().timeout(Duration.ZERO)).hasMessageContaining("timeout");
    assertThatThrownBy(() -> Offloader.builder().maxPerKey(0, c -> "k")).hasMessageContaining("maxPerKey");
  }
}
