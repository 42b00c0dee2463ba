package dev.cinder.pubsub;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Default node names: host name plus a random suffix, so two nodes on one host differ. */
public final class NodeNames {
  private static final SecureRandom RANDOM = new SecureRandom();

  private NodeNames() {}

  public static String generate() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "node";
    }
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    return host + "-" + HexFormat.of().formatHex(suffix);
  }
}
