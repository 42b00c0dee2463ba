package dev.cinder.example.chat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The example's JDBC access: a small pool of connections to one database, the same code for H2 and
 * PostgreSQL. Channel callbacks run on virtual threads and may block here; at most {@code maxConnections}
 * of them hold a connection at once, the others wait (up to 10 s, then fail).
 */
final class Database implements AutoCloseable {
  /** A unit of work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DatabaseUrl url;
  private final Semaphore slots;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  private Database(DatabaseUrl url, int maxConnections) {
    this.url = url;
    this.slots = new Semaphore(maxConnections);
  }

  /** Opens the database (creating the H2 file if needed) and checks that it answers. */
  static Database open(DatabaseUrl url, int maxConnections) throws SQLException {
    if (url.isH2AutoServer() && System.getProperty("h2.bindAddress") == null) {
      // The first process serves the file to the others through a TCP port: on loopback only, not the network.
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
    Database db = new Database(url, maxConnections);
    db.run(c -> c.isValid(5));
    return db;
  }

  DatabaseUrl url() {
    return url;
  }

  /** Runs {@code work} on a pooled connection in auto-commit mode. A connection that failed is not reused. */
  <T> T run(Work<T> work) throws SQLException {
    if (closed) {
      throw new SQLException("the database is closed");
    }
    try {
      if (!slots.tryAcquire(10, TimeUnit.SECONDS)) {
        throw new SQLException("no database connection became free within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a database connection", e);
    }
    try {
      Connection connection = idle.pollFirst();
      if (connection == null) {
        connection = DriverManager.getConnection(url.jdbcUrl(), url.properties());
      }
      T result;
      try {
        result = work.run(connection);
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection);
        throw e;
      }
      if (closed) {
        closeQuietly(connection);
      } else {
        idle.addFirst(connection);
      }
      return result;
    } finally {
      slots.release();
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection connection;
    while ((connection = idle.pollFirst()) != null) {
      closeQuietly(connection);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // already broken; nothing to keep
    }
  }
}
