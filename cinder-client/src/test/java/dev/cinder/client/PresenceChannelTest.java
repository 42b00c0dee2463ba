package dev.cinder.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.client.ScriptedTransports.Scripted;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A Presence on a channel: diffs before the first state of a join wait for it; a throwing callback loses nothing. */
class PresenceChannelTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final ScriptedTransports transports = new ScriptedTransports();
  private Socket socket;

  @AfterEach
  void close() {
    socket.close();
  }

  @Test
  void diffsBeforeTheFirstStateWaitAndACallbackThatThrowsIsReported() throws Exception {
    socket = Socket.builder("ws://example.test/socket").transport(transports).heartbeatInterval(Duration.ofHours(1))
        .build();
    BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    socket.onError(errors::add);
    CompletableFuture<Void> open = socket.connect();
    Scripted server = transports.next();
    server.listener.onOpen();
    open.get(10, TimeUnit.SECONDS);
    Channel channel = socket.channel("room:p");
    Presence presence = new Presence(channel);
    BlockingQueue<String> syncs = new LinkedBlockingQueue<>();
    presence.onSync(() -> syncs.add(String.join(",", presence.list((key, entry) -> key))));
    presence.onJoin((key, current, joined) -> {
      if (key.equals("bad")) {
        throw new IllegalStateException("a join callback failed");
      }
    });
    channel.join();
    String ref = JSON.readTree(server.nextText()).get(1).asString();
    server.ok(ref, ref, "room:p");
    // a diff that overtook the state: held back until the state came
    server.listener.onText("[null,null,\"room:p\",\"presence_diff\","
        + "{\"joins\":{\"b\":{\"metas\":[{\"phx_ref\":\"2\"}]}},\"leaves\":{\"a\":{\"metas\":[{\"phx_ref\":\"1\"}]}}}]");
    server.listener.onText("[\"" + ref + "\",null,\"room:p\",\"presence_state\","
        + "{\"a\":{\"metas\":[{\"phx_ref\":\"1\"}]},\"c\":{\"metas\":[{\"phx_ref\":\"3\"}]}}]");
    assertThat(syncs.poll(10, TimeUnit.SECONDS)).isEqualTo("c,b");
    server.listener.onText("[null,null,\"room:p\",\"presence_diff\","
        + "{\"joins\":{\"bad\":{\"metas\":[{\"phx_ref\":\"4\"}]}},\"leaves\":{}}]");
    assertThat(syncs.poll(10, TimeUnit.SECONDS)).isEqualTo("c,b,bad");
    assertThat(errors.poll(10, TimeUnit.SECONDS)).hasMessage("a join callback failed");
    assertThat(presence.list()).extracting(PresenceEntry::key).containsExactly("c", "b", "bad");
  }
}
