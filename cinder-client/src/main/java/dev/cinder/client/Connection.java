package dev.cinder.client;

import dev.cinder.client.internal.ClientThreads;
import dev.cinder.client.internal.Encoded;
import dev.cinder.client.internal.Frame;
import dev.cinder.client.internal.FrameCodec;
import dev.cinder.client.internal.Listeners;
import dev.cinder.client.internal.MalformedFrameException;
import dev.cinder.client.internal.SerialExecutor;
import dev.cinder.client.internal.Timers;
import dev.cinder.client.internal.V1Codec;
import dev.cinder.client.internal.V2Codec;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The socket's state: the current connection attempt, reconnects, heartbeats and the channels. Every field is
 * touched only on {@link #loop} (a serial executor), except the volatile ones read by the public getters.
 */
final class Connection {
  private static final System.Logger LOG = System.getLogger(Socket.class.getName());

  final Socket.Builder config;
  final JsonMapper mapper;
  final FrameCodec codec;
  final SerialExecutor loop;
  private final Executor callbacks;
  private final Attempts attempts;
  private final Heartbeat heartbeat;
  private final AtomicLong refs = new AtomicLong();
  private final List<Channel> channels = new ArrayList<>();
  private final Listeners<Runnable> openListeners = new Listeners<>();
  private final Listeners<Consumer<CloseEvent>> closeListeners = new Listeners<>();
  private final Listeners<Consumer<Throwable>> errorListeners = new Listeners<>();
  private final Listeners<Consumer<Message>> messageListeners = new Listeners<>();
  private final ThreadLocal<Object> inCallback = new ThreadLocal<>();
  private volatile boolean open;

  Connection(Socket.Builder config) {
    this.config = config;
    this.mapper = config.jsonMapper != null ? config.jsonMapper : JsonMapper.builder().build();
    this.codec = config.protocol == Protocol.V1_JSON ? new V1Codec(mapper) : new V2Codec(mapper);
    this.loop = new SerialExecutor(ClientThreads.loops(), this::reportError);
    this.callbacks = config.callbackExecutor != null ? config.callbackExecutor
        : new SerialExecutor(ClientThreads.callbacks(), error -> LOG.log(System.Logger.Level.WARNING,
            "a socket callback failed", error));
    // the JDK's HttpClient is made only when a built-in transport is used: a custom transport needs none
    Supplier<HttpClient> http = new Supplier<>() {
      private HttpClient client = config.httpClient;

      @Override
      public HttpClient get() { // on the loop only, when an attempt starts
        if (client == null) {
          client = HttpClient.newHttpClient();
        }
        return client;
      }
    };
    TransportFactory primary = config.transport != null ? config.transport
        : new Transports.Named("websocket", (request, listener) ->
            Transports.webSocket(http.get(), handshakeTimeout(config)).open(request, listener));
    TransportFactory longPoll = new Transports.Named("longpoll", (request, listener) ->
        Transports.longPoll(http.get()).open(request, listener));
    this.attempts = new Attempts(this, primary, longPoll);
    this.heartbeat = new Heartbeat(this, config.heartbeatInterval);
  }

  /** The socket's timeout, or the fallback delay if shorter: an attempt given up for long-poll ends with it. */
  private static Duration handshakeTimeout(Socket.Builder config) {
    Duration fallback = config.longPollFallback;
    return fallback != null && fallback.compareTo(config.timeout) < 0 ? fallback : config.timeout;
  }

  // ---- public operations, from any thread ----

  CompletableFuture<Void> connect() {
    CompletableFuture<Void> opened = new CompletableFuture<>();
    loop.execute(() -> attempts.connect(opened));
    return opened;
  }

  CompletableFuture<Void> disconnect() {
    CompletableFuture<Void> result = new CompletableFuture<>();
    disconnectInternally().whenComplete((ignored, error) -> complete(result, null));
    return result;
  }

  /**
   * Disconnects; the future completes on the loop or a transport thread, not on the callback executor, so that
   * {@link Socket#close()} may wait for it from inside a callback.
   */
  CompletableFuture<Void> disconnectInternally() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    loop.execute(() -> attempts.disconnect(closed));
    return closed;
  }

  boolean isOpen() {
    return open;
  }

  String transportName() {
    return attempts.transportName();
  }

  Subscription onOpen(Runnable callback) {
    return openListeners.add(callback)::run;
  }

  Subscription onClose(Consumer<CloseEvent> callback) {
    return closeListeners.add(callback)::run;
  }

  Subscription onError(Consumer<Throwable> callback) {
    return errorListeners.add(callback)::run;
  }

  Subscription onMessage(Consumer<Message> callback) {
    return messageListeners.add(callback)::run;
  }

  Channel channel(String topic, Supplier<? extends Map<String, ?>> params) {
    Channel channel = new Channel(this, topic, params);
    loop.execute(() -> channels.add(channel));
    return channel;
  }

  // ---- for Channel, Heartbeat and Attempts: on the loop ----

  String nextRef() {
    return Long.toString(refs.incrementAndGet());
  }

  /**
   * Sends a frame if open.
   *
   * @return false when not open (nothing sent)
   * @throws IllegalArgumentException when the frame cannot be encoded in this protocol
   */
  boolean send(Frame frame) {
    Transport transport = attempts.openTransport();
    if (transport == null) {
      return false;
    }
    Encoded encoded = codec.encode(frame);
    if (encoded.text() != null) {
      transport.sendText(encoded.text());
    } else {
      transport.sendBinary(encoded.binary());
    }
    return true;
  }

  void remove(Channel channel) {
    channels.remove(channel);
  }

  void abnormalClose(String reason) {
    attempts.abnormalClose(reason);
  }

  Payload payload(JsonNode json, byte[] bytes) {
    return new Payload(json, bytes, mapper);
  }

  /** Runs a user callback on the callback executor; what it throws goes to the error listeners. */
  void callback(Runnable callback) {
    onCallbackExecutor(() -> {
      try {
        callback.run();
      } catch (Throwable t) {
        reportError(t);
      }
    });
  }

  <T> void complete(CompletableFuture<T> future, T value) {
    onCallbackExecutor(() -> future.complete(value));
  }

  <T> void fail(CompletableFuture<T> future, Throwable error) {
    onCallbackExecutor(() -> future.completeExceptionally(error));
  }

  /** Tells the error listeners (on the callback executor), or logs when there are none or they throw. */
  void reportError(Throwable error) {
    onCallbackExecutor(() -> {
      if (errorListeners.isEmpty()) {
        LOG.log(System.Logger.Level.WARNING, "cinder socket error", error);
      }
      errorListeners.forEach(listener -> {
        try {
          listener.accept(error);
        } catch (Throwable t) {
          LOG.log(System.Logger.Level.WARNING, "an onError listener threw", t);
        }
      });
    });
  }

  /** Completes once the callbacks handed to the callback executor before it ran. */
  CompletableFuture<Void> callbacksDone() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    callbacks.execute(() -> done.complete(null));
    return done;
  }

  /** Whether the current thread is running one of this socket's callbacks (whatever the executor). */
  boolean inCallback() {
    return inCallback.get() != null;
  }

  private void onCallbackExecutor(Runnable task) {
    callbacks.execute(() -> {
      Object outer = inCallback.get();
      inCallback.set(Boolean.TRUE);
      try {
        task.run();
      } finally {
        if (outer == null) {
          inCallback.remove();
        }
      }
    });
  }

  // ---- events from Attempts, on the loop ----

  void opened() {
    open = true;
    heartbeat.start();
    openListeners.forEach(listener -> callback(listener));
    for (Channel channel : List.copyOf(channels)) {
      channel.lifecycle().socketOpened();
    }
  }

  void closed(CloseEvent event) {
    open = false;
    heartbeat.stop();
    for (Channel channel : List.copyOf(channels)) {
      channel.lifecycle().socketClosed();
    }
    closeListeners.forEach(listener -> callback(() -> listener.accept(event)));
  }

  void received(String text, ByteBuffer binary) {
    Frame frame;
    try {
      frame = text != null ? codec.decodeText(text) : codec.decodeBinary(binary);
    } catch (MalformedFrameException | RuntimeException e) { // a decoder bug is reported like a bad frame
      reportError(new MalformedFrameException("malformed frame from the server, dropped: " + e.getMessage(), e));
      return;
    }
    if ("phoenix".equals(frame.topic()) && "phx_reply".equals(frame.event())) {
      heartbeat.answers(frame.ref());
    }
    if (!messageListeners.isEmpty()) {
      Message message = new Message(frame.topic(), frame.event(), payload(frame.json(), frame.binary()),
          frame.ref(), frame.joinRef());
      messageListeners.forEach(listener -> callback(() -> listener.accept(message)));
    }
    for (Channel channel : List.copyOf(channels)) {
      if (channel.topic().equals(frame.topic())) {
        channel.lifecycle().received(frame);
      }
    }
  }
}
