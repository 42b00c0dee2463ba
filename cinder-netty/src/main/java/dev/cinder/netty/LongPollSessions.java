package dev.cinder.netty;

import dev.cinder.token.PhoenixToken;
import dev.cinder.token.TokenResult;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The long-poll sessions of one endpoint, addressed by signed tokens: a session id signed with the
 * endpoint's secret, so a forged or foreign token finds nothing. One sweeper thread ends sessions whose
 * client stopped polling for 1.5 windows (spec §6.7).
 */
public final class LongPollSessions implements AutoCloseable {
  private static final String SALT = "cinder long-poll session";
  private static final Duration TOKEN_MAX_AGE = Duration.ofDays(14);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PhoenixToken tokens;
  private final Map<String, LongPollSession> sessions = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cinder-longpoll-sweeper");
    t.setDaemon(true);
    return t;
  });

  /** {@code sweepPeriod}: how often idle sessions are looked for; half the smallest window is plenty. */
  public LongPollSessions(PhoenixToken tokens, Duration sweepPeriod) {
    this.tokens = tokens;
    long periodMs = Math.max(10, sweepPeriod.toMillis());
    sweeper.scheduleAtFixedRate(this::sweep, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  private void sweep() {
    for (LongPollSession session : sessions.values()) {
      if (session.idle()) {
        session.close(1001, "idle");
      }
    }
  }

  /** A fresh id and the token that names it. */
  String[] newIdAndToken() {
    byte[] raw = new byte[18];
    RANDOM.nextBytes(raw);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    return new String[] {id, tokens.sign(SALT, id, TOKEN_MAX_AGE)};
  }

  void register(LongPollSession session) {
    sessions.put(session.id, session);
  }

  void remove(String id) {
    sessions.remove(id);
  }

  /** The session a token names; null for a missing, forged, expired or unknown token. */
  LongPollSession find(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    if (tokens.verify(SALT, token) instanceof TokenResult.Valid(String id)) {
      return sessions.get(id);
    }
    return null;
  }

  /** Whether a token is one of ours (signed here), even if its session has ended. */
  boolean isSessionToken(String token) {
    return token != null && tokens.verify(SALT, token) instanceof TokenResult.Valid;
  }

  /** The number of live sessions. */
  public int size() {
    return sessions.size();
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    sessions.values().forEach(s -> s.close(1001, "shutdown"));
  }
}
