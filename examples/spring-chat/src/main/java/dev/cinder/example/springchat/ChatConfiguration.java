package dev.cinder.example.springchat;

import dev.cinder.PubSub;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.example.chat.AdminApi;
import dev.cinder.example.chat.BenchChannel;
import dev.cinder.example.chat.BenchPresenceChannel;
import dev.cinder.example.chat.BlockList;
import dev.cinder.example.chat.BlockStore;
import dev.cinder.example.chat.ChatApp;
import dev.cinder.example.chat.ChatCluster;
import dev.cinder.example.chat.ChatConfig.RateLimitSetting;
import dev.cinder.example.chat.ChatServices;
import dev.cinder.example.chat.MessageStore;
import dev.cinder.example.chat.NewMessages;
import dev.cinder.example.chat.NotificationChannel;
import dev.cinder.example.chat.RoomChannel;
import dev.cinder.example.chat.RoomEventLimits;
import dev.cinder.example.chat.UserSocket;
import dev.cinder.example.chat.WebAssets;
import dev.cinder.offload.Offloader;
import dev.cinder.presence.Presence;
import dev.cinder.ratelimit.RateLimiter;
import dev.cinder.spring.CinderEndpointCustomizer;
import dev.cinder.spring.CinderProperties;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.token.PhoenixToken;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Scope;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The chat's parts as beans. Cinder's starter brings the {@link PubSub} ({@code cinder.pubsub.*}), the
 * {@link Telemetry}, the endpoint's start and drain, and its health and meters; this class adds the chat's stores on
 * {@link JdbcClient}, its services, its channels (prototype beans: one per join), its socket, and the HTTP routes
 * that the {@link Endpoint} serves beside the socket: the API, the page, {@code /health} and {@code /metrics}.
 */
@Configuration(proxyBeanMethods = false)
class ChatConfiguration {
  /** {@code COUNT/WINDOW_MS} for the {@code chat.*} budgets; static, so that it is there when properties bind. */
  @Bean
  @ConfigurationPropertiesBinding
  static RateLimitConverter rateLimitConverter() {
    return new RateLimitConverter();
  }

  @Bean
  PhoenixToken phoenixToken(CinderProperties cinder) {
    return PhoenixToken.forSecret(cinder.secretKeyBase());
  }

  /** Replaces the starter's: a silent node's users leave the other nodes' lists after {@code chat.presence-down-period}. */
  @Bean
  Presence presence(PubSub pubSub, Telemetry telemetry, ChatProperties chat) {
    return Presence.create(pubSub, ChatCluster.presenceOptions(chat.presenceDownPeriod()), telemetry);
  }

  /** {@code cinder.cluster.undelivered} and {@code cinder.cluster.connected} on a Redis PubSub. */
  @Bean
  MeterBinder clusterMeters(PubSub pubSub) {
    return registry -> ChatCluster.bindClusterMeters(registry, pubSub);
  }

  @Bean
  ChatSchema chatSchema(JdbcClient jdbc) {
    return new ChatSchema(jdbc);
  }

  @Bean
  @DependsOn("chatSchema")
  JdbcMessageStore messageStore(JdbcClient jdbc) {
    return new JdbcMessageStore(jdbc);
  }

  @Bean
  @DependsOn("chatSchema")
  JdbcBlockStore blockStore(JdbcClient jdbc) {
    return new JdbcBlockStore(jdbc);
  }

  @Bean
  BlockList blockList(BlockStore store, PubSub pubSub) {
    return new BlockList(store, pubSub);
  }

  @Bean
  NewMessages newMessages(MessageStore messages, ChatProperties chat) {
    RateLimitSetting rate = chat.rateLimit();
    return new NewMessages(messages, RateLimiter.builder().limit(rate.count()).window(rate.window()).build());
  }

  @Bean
  RoomEventLimits roomEventLimits(ChatProperties chat) {
    return new RoomEventLimits(chat.typingRateLimit(), chat.statusRateLimit());
  }

  /** {@code process_data}'s work, off the channels; closed after the endpoint, interrupting what still runs. */
  @Bean(destroyMethod = "close")
  Offloader jobs() {
    return ChatApp.newJobs();
  }

  @Bean
  ChatServices chatServices(MessageStore messages, BlockList blocks, NewMessages newMessages, Offloader jobs,
      Presence presence, RoomEventLimits limits) {
    return new ChatServices(messages, blocks, newMessages, jobs, presence, limits);
  }

  @Bean
  @Scope("prototype")
  RoomChannel roomChannel(ChatServices services) {
    return new RoomChannel(services);
  }

  @Bean
  @Scope("prototype")
  NotificationChannel notificationChannel() {
    return new NotificationChannel();
  }

  @Bean
  @Scope("prototype")
  BenchPresenceChannel benchPresenceChannel(Presence presence) {
    return new BenchPresenceChannel(presence);
  }

  @Bean
  @Scope("prototype")
  BenchChannel benchChannel() {
    return new BenchChannel();
  }

  /** The plain example's socket (tokens, socket id, topics), each join getting a new channel bean. */
  @Bean
  UserSocket userSocket(PhoenixToken tokens, ObjectProvider<RoomChannel> rooms,
      ObjectProvider<NotificationChannel> notifications, ObjectProvider<BenchPresenceChannel> benchPresence,
      ObjectProvider<BenchChannel> bench) {
    return new UserSocket(tokens, rooms::getObject, notifications::getObject, benchPresence::getObject, bench::getObject);
  }

  @Bean
  AdminApi adminApi(PubSub pubSub, PhoenixToken tokens, ChatProperties chat) {
    return new AdminApi(pubSub, tokens, chat.adminToken());
  }

  @Bean
  ActuatorRoutes actuatorRoutes(ObjectProvider<HealthEndpoint> health, PrometheusMeterRegistry prometheus) {
    return new ActuatorRoutes(health, prometheus);
  }

  /**
   * HTTP beside the socket on Cinder's one port: the API, the page (from the plain example's jar), {@code /health} and
   * {@code /metrics}. The starter builds the endpoint from the {@code cinder.*} properties, then applies this.
   */
  @Bean
  CinderEndpointCustomizer chatRoutes(AdminApi api, ActuatorRoutes actuator) {
    return builder -> {
      builder.get("/health", actuator::health).get("/metrics", actuator::metrics);
      api.routes(builder);
      WebAssets.fromClasspath().routes().forEach(builder::get);
    };
  }

  @Bean
  ListeningLine listeningLine(Endpoint endpoint, CinderProperties cinder) {
    return new ListeningLine(endpoint, cinder.pubsub().type());
  }
}
