package dev.cinder.redis;

import dev.cinder.testkit.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rediss://}: a Redis speaking only TLS, with a certificate made for this test by openssl. */
class RedisTlsTest {
  @TempDir
  static Path dir;

  private static RedisServer redis;
  private static Path certificate;

  @BeforeAll
  static void startRedis() throws Exception {
    certificate = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl;
    try {
      openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
          "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
          "-keyout", key.toString(), "-out", certificate.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (java.io.IOException e) {
      openssl = null;
    }
    assertThat(openssl != null && openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0)
        .as("openssl makes the test certificate (run ./dev test, which installs it, or apt-get install openssl)")
        .isTrue();
    redis = RedisServer.launchTls(certificate, key);
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void nodesTrustingTheCertificateExchangeBroadcasts() {
    RedisPubSubOptions options = RedisPubSubOptions.of("rediss://127.0.0.1:" + redis.port(), "a")
        .trustedCertificates(certificate);
    try (Node a = Node.start(options); Node b = Node.start(options.withNodeName("b"))) {
      Inbox inbox = b.subscribe("room:1");
      a.pubSub().broadcast("room:1", "over tls", Map.of());
      await().atMost(Duration.ofSeconds(5)).until(() -> inbox.count("over tls") == 1);
    }
  }

  @Test
  void anUntrustedCertificateStopsTheNodeAtStart() throws Exception {
    Path other = Files.writeString(dir.resolve("empty.pem"), "");
    RedisPubSubOptions untrusted = RedisPubSubOptions.of("rediss://127.0.0.1:" + redis.port(), "a");
    assertThatThrownBy(() -> Node.start(untrusted)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Node.start(untrusted.trustedCertificates(other))).isInstanceOf(IllegalStateException.class);
  }
}
