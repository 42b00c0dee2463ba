package dev.cinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Topic routing: exact topics, trailing-star prefixes, first match wins. */
class RoutesTest {
  private static final Supplier<Channel> ROOM = () -> (topic, params, ctx) -> Join.ok();
  private static final Supplier<Channel> SPECIAL = () -> (topic, params, ctx) -> Join.ok();
  private static final Supplier<Channel> LOBBY = () -> (topic, params, ctx) -> Join.ok();

  private final Routes routes = new Routes().channel("room:*", ROOM).channel("lobby", LOBBY);

  @Test
  void aTrailingStarMatchesByPrefix() {
    assertThat(routes.match("room:1")).containsSame(ROOM);
    assertThat(routes.match("room:a:b")).containsSame(ROOM);
    assertThat(routes.match("room:")).containsSame(ROOM);
    assertThat(routes.match("room")).isEmpty();
    assertThat(routes.match("rooms:1")).isEmpty();
    assertThat(routes.match("my:room:1")).isEmpty();
  }

  @Test
  void aPatternWithoutStarMatchesExactly() {
    assertThat(routes.match("lobby")).containsSame(LOBBY);
    assertThat(routes.match("lobby:1")).isEmpty();
    assertThat(routes.match("Lobby")).isEmpty();
    assertThat(routes.match("")).isEmpty();
  }

  @Test
  void theFirstMatchingRouteWins() {
    Routes specificFirst = new Routes().channel("room:special", SPECIAL).channel("room:*", ROOM);
    assertThat(specificFirst.match("room:special")).containsSame(SPECIAL);
    assertThat(specificFirst.match("room:other")).containsSame(ROOM);

    Routes wildcardFirst = new Routes().channel("room:*", ROOM).channel("room:special", SPECIAL);
    assertThat(wildcardFirst.match("room:special")).containsSame(ROOM);
  }

  @Test
  void aLoneStarMatchesEveryTopic() {
    Routes all = new Routes().channel("*", ROOM);
    assertThat(all.match("anything:at:all")).containsSame(ROOM);
    assertThat(all.match("")).containsSame(ROOM);
  }

  @Test
  void noRoutesMatchNothing() {
    assertThat(new Routes().match("room:1")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"room:*:messages", "*:lobby", "room:**", "r*m"})
  void onlyOneTrailingStarIsAllowed(String pattern) {
    assertThatThrownBy(() -> new Routes().channel(pattern, ROOM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(pattern);
  }
}
