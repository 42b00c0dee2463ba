/** Drives the official {@code phoenix} JavaScript client under Node from JUnit tests: {@link dev.cinder.testkit.PhoenixJs}. */
module dev.cinder.testkit {
  requires transitive org.junit.jupiter.api;
  requires transitive tools.jackson.databind;

  exports dev.cinder.testkit;
}
