package dev.cinder.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.PhoenixJsExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Guide page 14's JwtDecoder example: the application's own JWTs (HMAC-signed, verified by Spring Security's
 * {@link NimbusJwtDecoder}) sent by the official client, accepted when valid, refused with HTTP 403 otherwise.
 */
class JwtConnectTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SecretKey KEY = hmacKey("the application's JWT secret, 32 bytes or more");

  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  private static ConfigurableApplicationContext context;
  private static String url;

  /** The guide's application: a socket bean that verifies tokens with the injected JwtDecoder. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class JwtApp {
    /** What the resource server's properties would build; the test defines it for its own key. */
    @Bean
    JwtDecoder jwtDecoder() {
      return NimbusJwtDecoder.withSecretKey(KEY).build();
    }

    @Bean
    @Scope("prototype")
    RoomChannel roomChannel() {
      return new RoomChannel();
    }

    @Bean
    UserSocket userSocket(ObjectProvider<RoomChannel> rooms, JwtDecoder jwts) {
      return new UserSocket(rooms, jwts);
    }
  }

  /** The guide's {@code UserSocket}, its {@code connect} as the guide shows it. */
  static class UserSocket implements SocketHandler {
    private final ObjectProvider<RoomChannel> rooms;
    private final JwtDecoder jwts;

    UserSocket(ObjectProvider<RoomChannel> rooms, JwtDecoder jwts) {
      this.rooms = rooms;
      this.jwts = jwts;
    }

    @Override
    public void routes(Routes routes) {
      routes.channel("room:*", rooms::getObject);
    }

    @Override
    public Connect connect(Params params, ConnectInfo info) {
      // the official client's authToken option sends the token outside the URL; a "token" param is the fallback
      String token = info.authToken() != null ? info.authToken() : params.get("token");
      if (token == null) {
        return Connect.refuse();
      }
      try {
        Jwt jwt = jwts.decode(token);  // signature, expiry and issuer, as the application's own endpoints check them
        String subject = jwt.getSubject();
        return subject == null ? Connect.refuse() : Connect.ok(Map.of("user_id", subject));
      } catch (JwtException e) {
        return Connect.refuse();       // the client's handshake gets HTTP 403
      }
    }
  }

  /** Answers the join with the socket's assigns: who {@code connect} said the user is. */
  static class RoomChannel implements Channel {
    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      return Join.ok(Map.of("user_id", ctx.assigns().<String>get("user_id")));
    }
  }

  @BeforeAll
  static void start() {
    context = new SpringApplicationBuilder(JwtApp.class).web(WebApplicationType.NONE).properties("cinder.port=0",
        "cinder.host=127.0.0.1", "cinder.secret-key-base=0123456789abcdef0123456789abcdef").run();
    url = "ws://127.0.0.1:" + context.getEnvironment().getProperty("local.cinder.port") + "/socket";
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  private static SecretKey hmacKey(String secret) {
    return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  /** A token as the application's login would issue it, signed with Spring Security's Nimbus encoder. */
  private static String token(SecretKey key, JwtClaimsSet claims) {
    NimbusJwtEncoder encoder = NimbusJwtEncoder.withSecretKey(key).build();
    return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
        .getTokenValue();
  }

  private static JwtClaimsSet valid(String subject) {
    Instant now = Instant.now();
    return JwtClaimsSet.builder().subject(subject).issuedAt(now).expiresAt(now.plus(Duration.ofMinutes(5))).build();
  }

  private static String userIdAfterJoin(JsSocket socket) {
    JsReply joined = socket.channel("room:lobby").join();
    assertThat(joined.status()).isEqualTo("ok");
    return joined.response().get("user_id").stringValue();
  }

  @Test
  void aValidTokenAsAuthTokenConnectsWithItsSubject() {
    JsSocket socket = js.connect(url, JsSocketOptions.create().authToken(token(KEY, valid("ann"))));
    assertThat(userIdAfterJoin(socket)).isEqualTo("ann");
    socket.disconnect();
  }

  @Test
  void aValidTokenAsConnectParamConnectsWithItsSubject() {
    JsSocket socket = js.connect(url, Map.of("token", token(KEY, valid("bo"))));
    assertThat(userIdAfterJoin(socket)).isEqualTo("bo");
    socket.disconnect();
  }

  @Test
  void anExpiredTokenIsRefused() {
    Instant past = Instant.now().minus(Duration.ofHours(1));
    String expired = token(KEY, JwtClaimsSet.builder().subject("cy").issuedAt(past)
        .expiresAt(past.plus(Duration.ofMinutes(5))).build());
    assertRefused(JsSocketOptions.create().authToken(expired));
    assertRefused(JsSocketOptions.create().params(Map.of("token", expired)));
  }

  @Test
  void aTokenSignedWithAnotherKeyIsRefused() {
    String forged = token(hmacKey("someone else's secret, also 32 bytes long"), valid("ann"));
    assertRefused(JsSocketOptions.create().authToken(forged));
  }

  @Test
  void aTokenWithoutSubjectOrNoTokenAtAllIsRefused() {
    Instant now = Instant.now();
    String anonymous = token(KEY, JwtClaimsSet.builder().issuedAt(now).expiresAt(now.plusSeconds(300)).build());
    assertRefused(JsSocketOptions.create().authToken(anonymous));
    assertRefused(JsSocketOptions.create().authToken("not-a-jwt"));
    assertRefused(JsSocketOptions.create());
  }

  private static void assertRefused(JsSocketOptions options) {
    JsSocket socket = js.connect(url, options.awaitOpen(false));
    assertThat(socket.awaitError(WAIT)).contains("Unexpected server response: 403");
    socket.disconnect();
  }
}
