package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The connection pool's limits on a real (in-memory) H2 database. */
class DatabaseTest {
  private static DatabaseUrl freshDatabase(String name) {
    return DatabaseUrl.parse("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
  }

  @Test
  void aCallerFindingEveryConnectionTakenWaitsTheAcquireTimeoutThenFails() throws Exception {
    Duration timeout = Duration.ofMillis(500);
    try (Database db = Database.open(freshDatabase("pool-limit"), 2, timeout);
        ExecutorService holders = Executors.newVirtualThreadPerTaskExecutor()) {
      CountDownLatch bothHeld = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      Future<?> first = holders.submit(() -> db.run(c -> hold(bothHeld, release)));
      Future<?> second = holders.submit(() -> db.run(c -> hold(bothHeld, release)));
      bothHeld.await();

      long start = System.nanoTime();
      assertThatThrownBy(() -> db.run(c -> c.isValid(1))).isInstanceOf(SQLException.class)
          .hasMessageContaining("request timed out");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout);

      release.countDown();
      first.get();
      second.get();
      // A connection given back serves the next caller.
      boolean valid = db.run(c -> c.isValid(1));
      assertThat(valid).isTrue();
    }
  }

  @Test
  void aClosedDatabaseRefusesWork() throws Exception {
    Database db = Database.open(freshDatabase("pool-closed"), 2);
    boolean valid = db.run(c -> c.isValid(1));
    assertThat(valid).isTrue();
    db.close();
    assertThatThrownBy(() -> db.run(c -> c.isValid(1))).isInstanceOf(SQLException.class);
  }

  private static boolean hold(CountDownLatch held, CountDownLatch release) {
    held.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }
}
