/** Tests Cinder channels in-process, without a network. */
module dev.cinder.test {
  requires transitive dev.cinder.core;
  requires transitive org.junit.jupiter.api;

  exports dev.cinder.test;
}
