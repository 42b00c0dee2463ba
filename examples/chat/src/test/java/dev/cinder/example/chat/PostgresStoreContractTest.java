package dev.cinder.example.chat;

import dev.cinder.testkit.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL server: one of this class's own, made fresh on a free port and
 * deleted afterwards (never the machine's, even when one answers on 5432). The DATABASE_URL is given in the
 * {@code postgres://user@host:port/db} form, which the app turns into a JDBC URL.
 */
class PostgresStoreContractTest extends StoreContract {
  private static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = PostgresServer.launch();
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  String databaseUrl() {
    return postgres.url("postgres");
  }
}
