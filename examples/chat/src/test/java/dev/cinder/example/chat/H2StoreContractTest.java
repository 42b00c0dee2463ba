package dev.cinder.example.chat;

/** The store contract on the embedded H2 database (a fresh file per test, deleted afterwards). */
class H2StoreContractTest extends StoreContract {
  @Override
  String databaseUrl() {
    return null;
  }
}
