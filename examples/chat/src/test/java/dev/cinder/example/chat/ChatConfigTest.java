package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the environment: RATE_LIMIT and DATABASE_URL in every accepted form, and clear refusals. */
class ChatConfigTest {
  @Test
  void defaults() {
    ChatConfig config = ChatConfig.fromEnvironment(Map.of());
    assertThat(config.rateLimit()).isEqualTo(new ChatConfig.RateLimitSetting(10, Duration.ofMillis(5000)));
    assertThat(config.typingLimit()).isEqualTo(new ChatConfig.RateLimitSetting(50, Duration.ofMillis(5000)));
    assertThat(config.statusLimit()).isEqualTo(new ChatConfig.RateLimitSetting(10, Duration.ofMillis(5000)));
    assertThat(config.databaseUrl()).isNull();
    assertThat(DatabaseUrl.parse(null).jdbcUrl()).startsWith("jdbc:h2:file:./data/chat;");
    assertThat(config.allowedOrigins()).containsExactly("http://localhost:4000", "http://127.0.0.1:4000");
  }

  @Test
  void rateLimitIsCountSlashWindowMs() {
    ChatConfig config = ChatConfig.fromEnvironment(Map.of("RATE_LIMIT", " 3 / 250 "));
    assertThat(config.rateLimit()).isEqualTo(new ChatConfig.RateLimitSetting(3, Duration.ofMillis(250)));
    for (String bad : new String[] {"10", "10/", "/5000", "ten/5000", "10/5000/1", "0/5000", "10/0", "-1/100"}) {
      assertThatThrownBy(() -> ChatConfig.fromEnvironment(Map.of("RATE_LIMIT", bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RATE_LIMIT");
    }
  }

  @Test
  void typingAndStatusLimitsHaveTheSameForm() {
    ChatConfig config = ChatConfig.fromEnvironment(Map.of("TYPING_RATE_LIMIT", "100/1000", "STATUS_RATE_LIMIT", "2/60000"));
    assertThat(config.typingLimit()).isEqualTo(new ChatConfig.RateLimitSetting(100, Duration.ofSeconds(1)));
    assertThat(config.statusLimit()).isEqualTo(new ChatConfig.RateLimitSetting(2, Duration.ofMinutes(1)));
    for (String name : new String[] {"TYPING_RATE_LIMIT", "STATUS_RATE_LIMIT"}) {
      assertThatThrownBy(() -> ChatConfig.fromEnvironment(Map.of(name, "lots"))).as(name)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(name + " must look like COUNT/WINDOW_MS");
    }
  }

  @Test
  void inboundLimitIsABurstOverAWindow() {
    ChatConfig defaults = ChatConfig.fromEnvironment(Map.of());
    assertThat(defaults.inboundLimit()).isEqualTo(new ChatConfig.RateLimitSetting(500, Duration.ofSeconds(5)));
    assertThat(defaults.inboundLimit().perSecond()).isEqualTo(100);
    ChatConfig fast = ChatConfig.fromEnvironment(Map.of("INBOUND_LIMIT", "3000/1000"));
    assertThat(fast.inboundLimit().count()).isEqualTo(3000);
    assertThat(fast.inboundLimit().perSecond()).isEqualTo(3000);
    assertThat(ChatConfig.fromEnvironment(Map.of("INBOUND_LIMIT", "1/60000")).inboundLimit().perSecond()).isEqualTo(1);
    assertThatThrownBy(() -> ChatConfig.fromEnvironment(Map.of("INBOUND_LIMIT", "0/1000")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("INBOUND_LIMIT must look like COUNT/WINDOW_MS");
  }

  @Test
  void databaseUrlTakesJdbcUrlsAsTheyAre() {
    assertThat(DatabaseUrl.parse("jdbc:postgresql://db:5432/chat?user=app").jdbcUrl())
        .isEqualTo("jdbc:postgresql://db:5432/chat?user=app");
    assertThat(DatabaseUrl.parse("jdbc:h2:mem:x").isH2()).isTrue();
  }

  @Test
  void databaseUrlTurnsPostgresUrisIntoJdbcWithCredentialsApart() {
    DatabaseUrl url = DatabaseUrl.parse("postgres://app:p%40ss@db.example:6543/chat?sslmode=require");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/chat?sslmode=require");
    assertThat(url.properties()).containsEntry("user", "app").containsEntry("password", "p@ss");
    assertThat(url.toString()).doesNotContain("p@ss", "p%40ss");
    assertThat(DatabaseUrl.parse("postgresql://localhost/chat").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/chat");
  }

  @Test
  void otherDatabaseUrlsAreRefusedWithoutLeakingPasswords() {
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:secret@db/chat"))
        .hasMessageContaining("DATABASE_URL").hasMessageNotContaining("secret");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgres://user:secret@db")).hasMessageContaining("database name")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:sqlite:chat.db")).hasMessageContaining("jdbc:h2:");
  }

  @Test
  void anUnreachableDatabaseStopsTheStartWithItsUrl() {
    ChatConfig config = new ChatConfig(0, ChatServer.SECRET, "admin", java.util.List.of(), Duration.ofSeconds(60),
        ChatServer.DEFAULT_RATE, "jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2", ChatConfig.ClusterSetting.local());
    assertThatThrownBy(() -> ChatApp.start(config)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot open the message database jdbc:postgresql://127.0.0.1:1/nothing");
  }
}
