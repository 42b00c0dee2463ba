package dev.cinder.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Method + path routing with {@code {name}} segments; 404 versus 405 through {@link HttpRoutes#pathExists}. */
class HttpRoutesTest {
  private static final HttpHandler USERS = r -> HttpResponse.text(200, "text/plain", "users");
  private static final HttpHandler USER = r -> HttpResponse.text(200, "text/plain", "user");
  private static final HttpHandler ME = r -> HttpResponse.text(200, "text/plain", "me");
  private static final HttpHandler DISCONNECT = r -> HttpResponse.text(204, "text/plain", "");
  private static final HttpHandler ROOT = r -> HttpResponse.text(200, "text/plain", "root");

  private final HttpRoutes routes = new HttpRoutes()
      .add("GET", "/", ROOT)
      .add("GET", "/api/users", USERS)
      .add("GET", "/api/users/me", ME)
      .add("GET", "/api/users/{id}", USER)
      .add("post", "/api/users/{id}/rooms/{room}/disconnect", DISCONNECT);

  @Test
  void matchesStaticPaths() {
    assertThat(routes.match("GET", "/api/users")).hasValueSatisfying(m -> {
      assertThat(m.handler()).isSameAs(USERS);
      assertThat(m.pathParams()).isEmpty();
    });
    assertThat(routes.match("GET", "/").map(HttpRoutes.Match::handler)).containsSame(ROOT);
  }

  @Test
  void bindsPathParams() {
    assertThat(routes.match("GET", "/api/users/42")).hasValueSatisfying(m -> {
      assertThat(m.handler()).isSameAs(USER);
      assertThat(m.pathParams()).isEqualTo(Map.of("id", "42"));
    });
    assertThat(routes.match("POST", "/api/users/7/rooms/lobby/disconnect")).hasValueSatisfying(m -> {
      assertThat(m.handler()).isSameAs(DISCONNECT);
      assertThat(m.pathParams()).isEqualTo(Map.of("id", "7", "room", "lobby"));
    });
  }

  @Test
  void theFirstMatchingRouteWins() {
    assertThat(routes.match("GET", "/api/users/me").map(HttpRoutes.Match::handler)).containsSame(ME);
    HttpRoutes paramFirst = new HttpRoutes().add("GET", "/u/{id}", USER).add("GET", "/u/me", ME);
    assertThat(paramFirst.match("GET", "/u/me").map(HttpRoutes.Match::handler)).containsSame(USER);
  }

  @Test
  void segmentCountsMustAgree() {
    assertThat(routes.match("GET", "/api")).isEmpty();
    assertThat(routes.match("GET", "/api/users/42/extra")).isEmpty();
  }

  @Test
  void aParamNeverBindsAnEmptySegment() {
    assertThat(routes.match("GET", "/api/users/")).isEmpty();
    assertThat(routes.match("POST", "/api/users//rooms/lobby/disconnect")).isEmpty();
    assertThat(routes.pathExists("/api/users/")).isFalse();
  }

  @Test
  void anUnknownPathIsNotFound() {
    assertThat(routes.match("GET", "/nope")).isEmpty();
    assertThat(routes.pathExists("/nope")).isFalse();
  }

  @Test
  void aKnownPathWithAnotherMethodIsMethodNotAllowed() {
    assertThat(routes.match("DELETE", "/api/users/42")).isEmpty();
    assertThat(routes.pathExists("/api/users/42")).isTrue();
    assertThat(routes.match("GET", "/api/users/7/rooms/lobby/disconnect")).isEmpty();
    assertThat(routes.pathExists("/api/users/7/rooms/lobby/disconnect")).isTrue();
  }

  @Test
  void methodsAreRegisteredInUpperCase() {
    assertThat(routes.match("POST", "/api/users/1/rooms/r/disconnect")).isPresent();
  }
}
