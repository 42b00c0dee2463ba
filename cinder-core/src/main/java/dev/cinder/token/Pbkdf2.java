package dev.cinder.token;

import javax.crypto.Mac;

/**
 * PBKDF2 (RFC 8018 §5.2) with HMAC-SHA256 over the raw password bytes. The JDK's {@code
 * PBKDF2WithHmacSHA256} takes a {@code char[]}, which cannot carry arbitrary bytes.
 */
final class Pbkdf2 {
  private Pbkdf2() {}

  static byte[] hmacSha256(byte[] password, byte[] salt, int iterations, int length) {
    if (iterations < 1 || length < 1) {
      throw new IllegalArgumentException("iterations and length must be positive");
    }
    Mac mac = HmacAlgorithm.HS256.newMac(password);
    int blockSize = mac.getMacLength();
    byte[] derived = new byte[length];
    for (int block = 1, offset = 0; offset < length; block++, offset += blockSize) {
      mac.update(salt);
      mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
      byte[] u = mac.doFinal();
      byte[] t = u.clone();
      for (int i = 1; i < iterations; i++) {
        u = mac.doFinal(u);
        for (int j = 0; j < t.length; j++) {
          t[j] ^= u[j];
        }
      }
      System.arraycopy(t, 0, derived, offset, Math.min(blockSize, length - offset));
    }
    return derived;
  }
}
