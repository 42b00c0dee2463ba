package dev.cinder.internal.netty.longpoll.forward;

import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.Subscriber;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * On the node holding a session: serves the GETs and POSTs other nodes forward to it on the session's
 * private topic ({@link LongPollWire}), answering each on the asking node's reply topic. Delivered on the
 * PubSub's receiving thread, so nothing here blocks: a POST is decoded and awaited on a virtual thread.
 */
public final class ForwardedRequests implements Subscriber {
  private static final Logger log = LoggerFactory.getLogger(ForwardedRequests.class);

  private final ForwardedSession session;
  private final PubSub pubSub;
  private final ScheduledExecutorService timer;
  // Forwarded GETs the session holds or may still hold, by reply topic, so their asking node can cancel them.
  private final Map<String, RemotePoll> held = new ConcurrentHashMap<>();

  public ForwardedRequests(ForwardedSession session, PubSub pubSub, ScheduledExecutorService timer) {
    this.session = session;
    this.pubSub = pubSub;
    this.timer = timer;
  }

  /** A GET held for another node: its answer crosses back to that node's reply topic. */
  private final class RemotePoll implements PollAnswer {
    private final String node;
    private final String reply;

    RemotePoll(String node, String reply) {
      this.node = node;
      this.reply = reply;
    }

    @Override
    public void messages(List<String> messages, long generation) {
      held.remove(reply);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", 200);
      body.put("messages", messages);
      body.put("generation", generation);
      answer(node, reply, body);
    }

    @Override
    public void status(int status) {
      held.remove(reply);
      answer(node, reply, Map.of("status", status));
    }
  }

  @Override
  public void deliver(Dispatch dispatch) {
    Payload request = dispatch.broadcast().payload();
    try {
      switch (dispatch.broadcast().event()) {
        case LongPollWire.GET -> get(request);
        case LongPollWire.POST -> post(request);
        case LongPollWire.CANCEL -> cancel(request);
        case LongPollWire.REQUEUE -> requeue(request);
        default -> log.debug("long-poll session {}: unknown forwarded event {}", session.id(), LogSafe.clip(dispatch.broadcast().event()));
      }
    } catch (RuntimeException e) {
      // Whatever the sender got wrong stays with this one request.
      log.warn("long-poll session {}: bad forwarded {}: {}", session.id(), LogSafe.clip(dispatch.broadcast().event()), LogSafe.clip(e));
    }
  }

  private void get(Payload request) {
    String node = request.string("from");
    String reply = request.string("reply");
    if (node == null || reply == null) {
      return;
    }
    acknowledge(node, reply);
    RemotePoll poll = new RemotePoll(node, reply);
    held.put(reply, poll);
    session.poll(poll, timer);
  }

  private void post(Payload request) {
    String node = request.string("from");
    String reply = request.string("reply");
    String body = request.string("body");
    JsonNode ndjson = request.field("ndjson");
    if (node == null || reply == null || body == null) {
      return;
    }
    acknowledge(node, reply);
    if (session.ended()) {
      answer(node, reply, Map.of("status", 410));
      return;
    }
    // Decoding up to 8 MB must not hold up the PubSub's receiving thread; the wait for dispatch happens there too.
    Thread.ofVirtual().name("cinder-longpoll-forwarded-post").start(() ->
        session.post(body, ndjson != null && ndjson.asBoolean(false), outcome -> {
          Map<String, Object> answer = new LinkedHashMap<>();
          answer.put("status", outcome.status());
          if (outcome.error() != null) {
            answer.put("error", outcome.error());
          }
          answer(node, reply, answer);
        }));
  }

  /**
   * The asking node's client went away: drop its GET if still held, so the messages stay here for the next
   * poll. The 204 that follows tells the asking node nothing more is coming; an answer with messages sent
   * just before it reaches that node first (one connection, in order), and comes back as a requeue.
   */
  private void cancel(Payload request) {
    String reply = request.string("reply");
    RemotePoll poll = reply == null ? null : held.remove(reply);
    if (poll != null) {
      session.cancel(poll);
      answer(poll.node, reply, Map.of("status", 204));
    }
  }

  private void requeue(Payload request) {
    JsonNode messages = request.field("messages");
    JsonNode generation = request.field("generation");
    if (messages == null || !messages.isArray() || generation == null) {
      return;
    }
    List<String> texts = new ArrayList<>();
    messages.forEach(m -> texts.add(m.asString()));
    session.requeue(texts, generation.asLong());
  }

  private void acknowledge(String node, String reply) {
    long windowMs = session.window().toMillis();
    answer(node, reply, LongPollWire.ACK, Map.of("window_ms", windowMs));
  }

  private void answer(String node, String reply, Map<String, Object> body) {
    answer(node, reply, LongPollWire.ANSWER, body);
  }

  private void answer(String node, String reply, String event, Map<String, Object> body) {
    pubSub.directBroadcast(node, reply, event, body);
  }
}
