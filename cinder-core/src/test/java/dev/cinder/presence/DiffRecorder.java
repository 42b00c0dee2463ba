package dev.cinder.presence;

import dev.cinder.PubSub;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.pubsub.Subscriber;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/** A subscriber of a topic that keeps every {@code presence_diff} and feeds it to a {@link ClientPresence}. */
final class DiffRecorder implements Subscriber {
  final List<JsonNode> diffs = new CopyOnWriteArrayList<>();
  final ClientPresence client = new ClientPresence();
  private final PubSub.Subscription subscription;

  DiffRecorder(PubSub pubSub, String topic) {
    subscription = Fanout.of(pubSub).subscribeShared(topic, this);
  }

  @Override
  public void deliver(Dispatch dispatch) {
    if (dispatch.broadcast().event().equals("presence_diff")) {
      JsonNode diff = dispatch.broadcast().payload().json();
      client.syncDiff(diff.get("joins"), diff.get("leaves"));
      diffs.add(diff);
    }
  }

  void close() {
    subscription.close();
  }
}
