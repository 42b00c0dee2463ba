package dev.cinder.example.springchat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The example chat on Spring Boot: the plain example's channels, HTTP API and page, wired by Spring and configured
 * by the same environment variables (see {@code application.yml}). Cinder's server is the only one: sockets and
 * HTTP share {@code PORT}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SpringChatApplication {
  /** Starts the application; {@code SIGTERM} drains the sockets, then closes the rest. */
  public static void main(String[] args) {
    if (System.getProperty("h2.bindAddress") == null) {
      // The default store shares its file between processes through a TCP port (H2's AUTO_SERVER): on loopback only.
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
    SpringApplication.run(SpringChatApplication.class, args);
  }
}
