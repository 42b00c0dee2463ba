package dev.cinder.spring;

import dev.cinder.endpoint.DrainStatus;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.telemetry.Telemetry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/** Adds {@code cinder}: the node's name, the port, the open sockets and joined channels. */
public final class CinderInfoContributor implements InfoContributor {
  private final Endpoint endpoint;
  private final Telemetry telemetry;

  /** Reads {@code endpoint} and the {@code telemetry} it reports to. */
  public CinderInfoContributor(Endpoint endpoint, Telemetry telemetry) {
    this.endpoint = endpoint;
    this.telemetry = telemetry;
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, Object> cinder = new LinkedHashMap<>();
    cinder.put("node", endpoint.pubSub().nodeName());
    if (endpoint.drainStatus().phase() != DrainStatus.Phase.STOPPED) {
      cinder.put("port", endpoint.port());
    }
    cinder.put("sockets", telemetry.sockets());
    cinder.put("channels", telemetry.channels());
    builder.withDetail("cinder", cinder);
  }
}
