package dev.cinder.example.chat;

import dev.cinder.PubSub;
import dev.cinder.offload.Offloader;
import dev.cinder.presence.Presence;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.ratelimit.RateLimiter;
import dev.cinder.test.ChannelTest;
import dev.cinder.token.PhoenixToken;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The example's socket and services without a server, for {@link ChannelTest}: a fresh in-memory H2 database,
 * a local PubSub and presence, and the same rate limits as the defaults of {@link ChatConfig}, except those given.
 */
final class InProcessChat implements AutoCloseable {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  final PubSub pubSub = new LocalPubSub();
  final Presence presence = Presence.create(pubSub, pubSub.nodeName());
  final PhoenixToken tokens = PhoenixToken.forSecret("in-process chat test secret, long enough to sign tokens with");
  final Database db;
  final MessageStore messages;
  private final Offloader jobs = Offloader.builder().maxConcurrent(4).timeout(Duration.ofSeconds(30)).build();
  final ChatServices services;

  /** A chat whose {@code new_msg}, {@code typing} and {@code update_status} budgets are these. */
  static InProcessChat open(ChatConfig.RateLimitSetting newMessages, ChatConfig.RateLimitSetting typing,
      ChatConfig.RateLimitSetting status) {
    try {
      return new InProcessChat(newMessages, typing, status);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot open the in-memory database", e);
    }
  }

  private InProcessChat(ChatConfig.RateLimitSetting newMessages, ChatConfig.RateLimitSetting typing,
      ChatConfig.RateLimitSetting status) throws java.sql.SQLException {
    db = Database.open(DatabaseUrl.parse("jdbc:h2:mem:in-process-" + DATABASES.incrementAndGet()), 4);
    Schema.create(db);
    messages = new SqlMessageStore(db);
    RateLimiter<Object> perUserPerRoom = RateLimiter.builder().limit(newMessages.count()).window(newMessages.window()).build();
    services = new ChatServices(messages, new BlockList(new SqlBlockStore(db), pubSub), new NewMessages(messages, perUserPerRoom), jobs,
        presence, new RoomEventLimits(typing, status));
  }

  /** The channels of the example's {@link UserSocket}, on this chat's PubSub. */
  ChannelTest channels() {
    return ChannelTest.forSocket(new UserSocket(tokens, services)).pubSub(pubSub);
  }

  String token(String userId) {
    return tokens.sign(UserSocket.TOKEN_SALT, userId);
  }

  @Override
  public void close() {
    presence.close();
    jobs.close();
    db.close();
  }
}
