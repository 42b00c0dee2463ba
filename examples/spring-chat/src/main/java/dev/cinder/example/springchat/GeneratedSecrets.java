package dev.cinder.example.springchat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Fills in {@code SECRET_KEY_BASE} and {@code ADMIN_TOKEN} when they are unset, before the properties that use them
 * are bound, with the plain example's warnings: a generated secret signs tokens that will not survive a restart, and
 * a generated admin token is printed once. A secret shorter than 32 bytes stops the start.
 */
final class GeneratedSecrets implements EnvironmentPostProcessor {
  static final int MIN_SECRET_BYTES = 32;
  private final Log log;

  GeneratedSecrets(DeferredLogFactory logs) {
    this.log = logs.getLog(GeneratedSecrets.class);
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    Map<String, Object> generated = new HashMap<>();
    String secret = environment.getProperty("SECRET_KEY_BASE");
    if (secret == null || secret.isBlank()) {
      generated.put("SECRET_KEY_BASE", randomHex(32));
      log.warn("SECRET_KEY_BASE is not set: generated one; tokens will not survive a restart");
    } else if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("SECRET_KEY_BASE must be at least " + MIN_SECRET_BYTES
          + " bytes (e.g. the output of openssl rand -hex 32)");
    }
    String admin = environment.getProperty("ADMIN_TOKEN");
    if (admin == null || admin.isBlank()) {
      String token = randomHex(16);
      generated.put("ADMIN_TOKEN", token);
      log.warn("ADMIN_TOKEN is not set: generated one for this run: " + token);
    }
    if (!generated.isEmpty()) {
      environment.getPropertySources().addFirst(new MapPropertySource("generated secrets", generated));
    }
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
