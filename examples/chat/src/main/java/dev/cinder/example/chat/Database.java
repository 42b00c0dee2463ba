package dev.cinder.example.chat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool.PoolInitializationException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The example's JDBC access: a HikariCP pool of connections to one database, the same code for H2 and
 * PostgreSQL. Channel callbacks run on virtual threads and may block here; at most {@code maxConnections}
 * of them hold a connection at once, the others wait up to {@link #ACQUIRE_TIMEOUT} and then fail with an
 * {@link SQLException} (a {@code new_msg} then gets the {@code storage_failed} error push).
 */
final class Database implements AutoCloseable {
  /** How long a caller waits for a free connection before its work fails. */
  static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(10);

  /** A unit of work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DatabaseUrl url;
  private final HikariDataSource pool;

  private Database(DatabaseUrl url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
  }

  /**
   * Opens the database (creating the H2 file if needed): the pool's first connection is made now, so a database
   * that is unreachable, refuses the credentials or is locked fails here with the driver's {@link SQLException}.
   */
  static Database open(DatabaseUrl url, int maxConnections) throws SQLException {
    return open(url, maxConnections, ACQUIRE_TIMEOUT);
  }

  /** As {@link #open(DatabaseUrl, int)}, with another wait for a free connection (at least 250 ms). */
  static Database open(DatabaseUrl url, int maxConnections, Duration acquireTimeout) throws SQLException {
    if (url.isH2AutoServer() && System.getProperty("h2.bindAddress") == null) {
      // The first process serves the file to the others through a TCP port: on loopback only, not the network.
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("chat-db");
    config.setJdbcUrl(url.jdbcUrl());
    config.setDataSourceProperties(url.properties()); // user and password when they came outside the URL
    config.setMaximumPoolSize(maxConnections);
    // Connections are opened as callers need them, as many as the busiest moment did; idle ones close after a while.
    config.setMinimumIdle(1);
    config.setConnectionTimeout(acquireTimeout.toMillis());
    try {
      return new Database(url, new HikariDataSource(config));
    } catch (PoolInitializationException e) {
      // The driver's own exception says what went wrong (and carries H2's error code for a locked file).
      if (e.getCause() instanceof SQLException cause) {
        throw cause;
      }
      throw new SQLException("cannot open a connection to " + url, e);
    }
  }

  DatabaseUrl url() {
    return url;
  }

  /** Runs {@code work} on a pooled connection in auto-commit mode. */
  <T> T run(Work<T> work) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      return work.run(connection);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
