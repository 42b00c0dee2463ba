package dev.cinder.example.springchat;

import dev.cinder.endpoint.Endpoint;
import dev.cinder.spring.CinderProperties;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/** Once the application is ready, says where it listens, in the plain example's words (scripts look for them). */
final class ListeningLine implements ApplicationListener<ApplicationReadyEvent> {
  private static final Logger log = LoggerFactory.getLogger(SpringChatApplication.class);
  private final Endpoint endpoint;
  private final CinderProperties.Type pubSubType;

  ListeningLine(Endpoint endpoint, CinderProperties.Type pubSubType) {
    this.endpoint = endpoint;
    this.pubSubType = pubSubType;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    log.info("Cinder Spring chat example listening on http://localhost:{} (node {}, {} PubSub)", endpoint.port(),
        endpoint.pubSub().nodeName(), pubSubType.name().toLowerCase(Locale.ROOT));
  }
}
