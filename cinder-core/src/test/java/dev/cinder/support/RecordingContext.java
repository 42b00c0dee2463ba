package dev.cinder.support;

import dev.cinder.Assigns;
import dev.cinder.ChannelContext;
import dev.cinder.ChannelHooks;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.Reply;
import dev.cinder.ReplyRef;
import dev.cinder.telemetry.Telemetry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ChannelContext} that records what a channel did (pushes, broadcasts, messages to itself), for unit
 * tests of the pieces that sit on top of the context; the whole runtime is tested end to end elsewhere.
 */
public final class RecordingContext implements ChannelContext {
  public record Sent(String event, Payload payload) {}

  private final String topic;
  private final Assigns assigns;
  private final String socketId;
  public final List<Sent> pushes = new CopyOnWriteArrayList<>();
  public final BlockingQueue<Sent> broadcasts = new LinkedBlockingQueue<>();
  public final BlockingQueue<Object> infos = new LinkedBlockingQueue<>();
  private final ChannelHooks hooks = new Hooks();

  public RecordingContext(String topic, Assigns assigns, String socketId) {
    this.topic = topic;
    this.assigns = assigns;
    this.socketId = socketId;
  }

  public static RecordingContext of(String topic, String userId) {
    return new RecordingContext(topic, new Assigns().put("user_id", userId), "user_socket:" + userId);
  }

  /** The next message sent to handleInfo, waiting up to the timeout; null if none came. */
  public Object nextInfo(Duration timeout) throws InterruptedException {
    return infos.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Sent nextBroadcast(Duration timeout) throws InterruptedException {
    return broadcasts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public Assigns assigns() {
    return assigns;
  }

  @Override
  public String socketId() {
    return socketId;
  }

  @Override
  public boolean recovered() {
    return false;
  }

  @Override
  public void push(String event, Object payload) {
    pushes.add(new Sent(event, Payload.of(payload)));
  }

  @Override
  public void broadcast(String event, Object payload) {
    broadcasts.add(new Sent(event, Payload.of(payload)));
  }

  @Override
  public void broadcastFrom(String event, Object payload) {
    broadcast(event, payload);
  }

  @Override
  public void send(Object message) {
    infos.add(message);
  }

  @Override
  public void sendAfter(Object message, Duration delay) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ReplyRef replyRef() {
    return new ReplyRef(topic, "1", "2");
  }

  @Override
  public void reply(ReplyRef ref, Reply reply) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void stop() {
    throw new UnsupportedOperationException();
  }

  @Override
  public long queuedBytes() {
    return 0;
  }

  @Override
  public ChannelHooks hooks() {
    return hooks;
  }

  /** Terminate hooks are ignored; telemetry goes nowhere; no PubSub. */
  private static final class Hooks implements ChannelHooks {
    @Override
    public void onTerminate(Runnable hook) {}

    @Override
    public Telemetry telemetry() {
      return Telemetry.detached();
    }

    @Override
    public PubSub pubSub() {
      throw new UnsupportedOperationException();
    }
  }
}
