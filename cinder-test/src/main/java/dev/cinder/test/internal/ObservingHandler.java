package dev.cinder.test.internal;

import dev.cinder.Assigns;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Params;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's socket handler with every route's channel wrapped in an {@link ObservedChannel}; connect and
 * id are its own. Joins are recorded by join_ref, which the test clients make unique.
 */
public final class ObservingHandler implements SocketHandler {
  private final SocketHandler handler;
  private final Map<String, ChannelRecord> records = new ConcurrentHashMap<>();

  public ObservingHandler(SocketHandler handler) {
    this.handler = handler;
  }

  /** Expects a join with this join_ref; its channel will report to the returned record. */
  public ChannelRecord expect(String joinRef) {
    return records.computeIfAbsent(joinRef, ref -> new ChannelRecord());
  }

  /** Forgets the joins recorded so far (their sockets are closed). */
  public void clear() {
    records.clear();
  }

  @Override
  public void routes(Routes routes) {
    Routes declared = new Routes();
    handler.routes(declared);
    for (Routes.Route route : declared.all()) {
      routes.channel(route.pattern(), () -> new ObservedChannel(route.factory().get(), records::get), route.history());
    }
  }

  @Override
  public Connect connect(Params params, ConnectInfo info) {
    return handler.connect(params, info);
  }

  @Override
  public String id(Assigns assigns) {
    return handler.id(assigns);
  }
}
