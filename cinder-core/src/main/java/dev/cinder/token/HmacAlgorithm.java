package dev.cinder.token;

import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The token header names the MAC: Base64 of "HS256", "HS384" or "HS512". Phoenix signs HS256. */
enum HmacAlgorithm {
  HS256("SFMyNTY", "HmacSHA256"),
  HS384("SFMzODQ", "HmacSHA384"),
  HS512("SFM1MTI", "HmacSHA512");

  final String header;
  private final String jcaName;

  HmacAlgorithm(String header, String jcaName) {
    this.header = header;
    this.jcaName = jcaName;
  }

  static Optional<HmacAlgorithm> forHeader(String header) {
    for (HmacAlgorithm algorithm : values()) {
      if (algorithm.header.equals(header)) {
        return Optional.of(algorithm);
      }
    }
    return Optional.empty();
  }

  /** A fresh {@link Mac}: instances are not thread-safe, and creating one is cheap. */
  Mac newMac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(jcaName);
      mac.init(new SecretKeySpec(key, jcaName));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(jcaName + " is unavailable in this JDK", e);
    }
  }

  byte[] mac(byte[] key, byte[] message) {
    return newMac(key).doFinal(message);
  }
}
