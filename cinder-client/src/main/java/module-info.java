/** A Java client for the Phoenix channels protocol, as spoken by Cinder and Phoenix servers. */
module dev.cinder.client {
  requires transitive tools.jackson.databind;
  requires java.net.http;

  exports dev.cinder.client;
}
