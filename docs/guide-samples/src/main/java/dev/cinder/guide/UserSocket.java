package dev.cinder.guide;

import dev.cinder.Assigns;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Params;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.offload.Offloader;
import dev.cinder.presence.Presence;
import dev.cinder.token.PhoenixToken;
import dev.cinder.token.TokenResult;
import java.time.Duration;
import java.util.Map;

/**
 * The guide's socket: a connection is accepted with a valid user token and named after its user; topics are
 * routed to the channels of the guide's pages.
 */
public final class UserSocket implements SocketHandler {
  /** Tokens for this socket are signed and verified with this salt. */
  public static final String TOKEN_SALT = "user socket";
  private static final Duration TOKEN_MAX_AGE = Duration.ofDays(14);

  private final PhoenixToken tokens;
  private final Presence presence;
  private final Offloader jobs;

  public UserSocket(PhoenixToken tokens, Presence presence, Offloader jobs) {
    this.tokens = tokens;
    this.presence = presence;
    this.jobs = jobs;
  }

  // region: token-sign
  /** The token a logged-in user's page hands to its client; call it after your own login check. */
  public static String tokenFor(PhoenixToken tokens, String userId) {
    return tokens.sign(TOKEN_SALT, userId);
  }
  // endregion

  // region: socket-routes
  @Override
  public void routes(Routes routes) {
    routes.channel("room:*", () -> new RoomChannel(presence))
        .channel("feed:*", FeedChannel::new)
        .channel("forum:*", ForumChannel::new)
        .channel("reports:*", () -> new ReportChannel(jobs));
  }
  // endregion

  // region: socket-connect
  @Override
  public Connect connect(Params params, ConnectInfo info) {
    // The token comes as the "token" param, or through the client's authToken option.
    String token = params.get("token") != null ? params.get("token") : info.authToken();
    if (tokens.verify(TOKEN_SALT, token, TOKEN_MAX_AGE) instanceof TokenResult.Valid(String userId)) {
      return Connect.ok(Map.of("user_id", userId));
    }
    return Connect.refuse();
  }
  // endregion

  // region: socket-id
  @Override
  public String id(Assigns assigns) {
    return "user_socket:" + assigns.<String>get("user_id");
  }
  // endregion
}
