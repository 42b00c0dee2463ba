package dev.cinder.internal.netty.longpoll.forward;

import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.internal.pubsub.Subscriber;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * One GET or POST this node forwarded to the node holding its session ({@link LongPollWire}), from sending
 * until its client has the owner's answer: it listens on a reply topic of its own, times out when the owner
 * stays silent (2 s to hear from it, then its window plus slack) and is cleaned up exactly once.
 *
 * <p>A GET whose client goes away is cancelled at the owner, so the session keeps its messages; an answer
 * with messages that was already under way is sent back to the owner ("requeue"), and so is one whose
 * write to the client fails. What the client's kernel accepted and the client never read is lost, as on a
 * single node (at most once).
 */
final class ForwardedRequest implements Subscriber {
  private static final Logger log = LoggerFactory.getLogger(ForwardedRequest.class);
  enum Kind { GET, POST }

  private enum State { SENT, ACKED, CANCELLING, DONE }

  private final Kind kind;
  private final SessionAddress owner;
  private final AskingClient client;
  private final ChannelHandlerContext ctx;
  private final PubSub pubSub;
  private final Runnable onDone;
  private final String reply = LongPollWire.newReplyTopic();
  private final ChannelFutureListener clientGone = f -> clientGone();
  private State state = State.SENT;
  private PubSub.Subscription subscription;
  private ScheduledFuture<?> timeout;
  // Bumped per timer, so a timer that fires while being replaced does nothing.
  private int timerEpoch;

  ForwardedRequest(Kind kind, SessionAddress owner, AskingClient client, PubSub pubSub, Runnable onDone) {
    this.kind = kind;
    this.owner = owner;
    this.client = client;
    this.ctx = client.ctx();
    this.pubSub = pubSub;
    this.onDone = onDone;
  }

  /** Listens for the answer first, then sends {@code fields} (plus who asks) to the owner. */
  void send(Map<String, Object> fields) {
    synchronized (this) {
      subscription = Fanout.of(pubSub).subscribeShared(reply, this);
      if (!scheduleLocked(LongPollWire.LOCATE_TIMEOUT)) {
        return;
      }
    }
    Map<String, Object> request = new LinkedHashMap<>(fields);
    request.put("from", pubSub.nodeName());
    request.put("reply", reply);
    toOwner(kind == Kind.GET ? LongPollWire.GET : LongPollWire.POST, request);
    if (kind == Kind.GET) {
      ctx.channel().closeFuture().addListener(clientGone); // after sending: a cancel must follow its get
      synchronized (this) {
        if (state == State.DONE) {
          ctx.channel().closeFuture().removeListener(clientGone); // answered meanwhile: keep no listener
        }
      }
    }
  }

  @Override
  public void deliver(Dispatch dispatch) {
    Payload payload = dispatch.broadcast().payload();
    switch (dispatch.broadcast().event()) {
      case LongPollWire.ACK -> acknowledged(payload.field("window_ms"));
      case LongPollWire.ANSWER -> answered(payload);
      default -> { }
    }
  }

  private synchronized void acknowledged(JsonNode windowMs) {
    if (state == State.SENT) {
      state = State.ACKED;
      long window = windowMs == null ? 10_000 : windowMs.asLong(10_000);
      scheduleLocked(Duration.ofMillis(window).plus(LongPollWire.ANSWER_SLACK));
    }
  }

  private void answered(Payload answer) {
    State was;
    synchronized (this) {
      was = state;
      if (was == State.DONE) {
        return;
      }
      finishLocked();
    }
    JsonNode status = answer.field("status");
    int code = status == null ? 204 : status.asInt(204);
    if (was == State.CANCELLING) {
      requeue(answer);
    } else if (kind == Kind.POST) {
      respondToPost(code, answer.string("error"));
    } else if (code == 200) {
      deliverMessages(answer);
    } else {
      client.status(code == 410 ? 410 : 204);
    }
  }

  private void deliverMessages(Payload answer) {
    if (!ctx.channel().isActive()) {
      requeue(answer);
      return;
    }
    client.messages(messages(answer)).addListener(f -> {
          if (!f.isSuccess()) {
            requeue(answer);
          }
        });
  }

  private void respondToPost(int code, String error) {
    if (code == 400) {
      client.badRequest(error == null ? "" : error);
    } else {
      client.status(code);
    }
  }

  private void timedOut(int epoch) {
    State was;
    synchronized (this) {
      if (epoch != timerEpoch || state == State.DONE) {
        return;
      }
      was = state;
      finishLocked();
    }
    switch (was) {
      // Nothing from the owner at all: the session (or its node) is gone, as Phoenix decides after pubsub_timeout.
      case SENT -> client.status(410);
      // The owner had it but its answer never came: an empty poll, or an unacknowledged POST.
      case ACKED -> client.status(kind == Kind.GET ? 204 : 408);
      default -> { }
    }
  }

  /** The client's connection closed while its GET was out: cancel at the owner, then await its last word. */
  private void clientGone() {
    synchronized (this) {
      if (state != State.SENT && state != State.ACKED) {
        return;
      }
      state = State.CANCELLING;
      if (!scheduleLocked(LongPollWire.LOCATE_TIMEOUT)) {
        return;
      }
    }
    log.debug("forwarded GET for session {} on {}: its client went away, cancelling", owner.id(), owner.node());
    toOwner(LongPollWire.CANCEL, Map.of("reply", reply));
  }

  /** Hands the messages of an answer its client never got back to the owner. */
  private void requeue(Payload answer) {
    JsonNode generation = answer.field("generation");
    List<String> messages = messages(answer);
    if (generation != null && !messages.isEmpty()) {
      log.debug("forwarded GET for session {} on {}: {} message(s) its client never got go back", owner.id(),
          owner.node(), messages.size());
      toOwner(LongPollWire.REQUEUE, Map.of("messages", messages, "generation", generation.asLong()));
    }
  }

  /** Ends it now, unanswered: this node is shutting down. */
  void abandon() {
    synchronized (this) {
      if (state != State.DONE) {
        finishLocked();
      }
    }
  }

  private static List<String> messages(Payload answer) {
    List<String> messages = new ArrayList<>();
    JsonNode array = answer.field("messages");
    if (array != null && array.isArray()) {
      array.forEach(m -> messages.add(m.asString()));
    }
    return messages;
  }

  private void toOwner(String event, Map<String, Object> payload) {
    pubSub.directBroadcast(owner.node(), LongPollWire.sessionTopic(owner.id()), event, payload);
  }

  private boolean scheduleLocked(Duration delay) {
    if (timeout != null) {
      timeout.cancel(false);
    }
    int epoch = ++timerEpoch;
    try {
      timeout = ctx.executor().schedule(() -> timedOut(epoch), delay.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (RejectedExecutionException e) {
      finishLocked(); // the event loop is shutting down: so is this node
      return false;
    }
  }

  private void finishLocked() {
    state = State.DONE;
    timerEpoch++;
    if (timeout != null) {
      timeout.cancel(false);
    }
    if (subscription != null) {
      subscription.close();
    }
    ctx.channel().closeFuture().removeListener(clientGone);
    onDone.run();
  }
}
