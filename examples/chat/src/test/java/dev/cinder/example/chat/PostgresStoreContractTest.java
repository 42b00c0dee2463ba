package dev.cinder.example.chat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL server at 127.0.0.1:5432 (user postgres): this class creates a
 * database of its own with a unique name and drops it afterwards. Skipped when no server answers there.
 * The DATABASE_URL is given in the {@code postgres://user@host/db} form, which the app turns into a JDBC URL.
 */
class PostgresStoreContractTest extends StoreContract {
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&connectTimeout=3";
  private static String database;

  @BeforeAll
  static void createDatabase() {
    String name = "cinder_chat_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    try (Connection admin = DriverManager.getConnection(SERVER); Statement sql = admin.createStatement()) {
      sql.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      Assumptions.abort("no PostgreSQL server answers at 127.0.0.1:5432 as user postgres (" + e.getMessage() + ")");
    }
    database = name;
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (database != null) {
      try (Connection admin = DriverManager.getConnection(SERVER); Statement sql = admin.createStatement()) {
        sql.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }

  @Override
  String databaseUrl() {
    return "postgres://postgres@127.0.0.1:5432/" + database;
  }
}
