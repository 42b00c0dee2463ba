package dev.cinder.bench.micro;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.serializer.Message;
import dev.cinder.internal.serializer.ReplyMessage;
import dev.cinder.internal.serializer.Serializer;
import dev.cinder.internal.serializer.V2JsonSerializer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** V2 serializer costs: what every push, reply, fastlane broadcast and client frame pays once. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerializerBench {
  private final Serializer v2 = V2JsonSerializer.INSTANCE;
  private final Payload chat = Payload.parse("{\"body\":\"hello, world\",\"user_id\":\"alice\",\"id\":42}");
  private final Message push = new Message("3", null, "room:lobby", "new_msg", chat);
  private final Broadcast broadcast = new Broadcast("room:lobby", "new_msg", chat);
  private final ReplyMessage reply = new ReplyMessage("3", "7", "room:lobby", "ok", chat);
  private final Frame clientText = Frame.text("[\"3\",\"7\",\"room:lobby\",\"new_msg\",{\"body\":\"hello, world\"}]");
  private final Frame clientBinary = Frame.binary(binaryPush());
  /** The reply to a client's push that echoes its payload, kept as the client's JSON text (the request path). */
  private final ReplyMessage echo = new ReplyMessage("3", "7", "room:lobby", "ok", v2.decode(clientText).payload());
  private final Broadcast binaryBroadcast = new Broadcast("room:lobby", "upload", Payload.wrapBinary(new byte[256]));

  @Benchmark
  public Frame encodePush() {
    return v2.encodePush(push);
  }

  @Benchmark
  public Frame encodeBroadcast() {
    return v2.encodeBroadcast(broadcast);
  }

  @Benchmark
  public Frame encodeReply() {
    return v2.encodeReply(reply);
  }

  @Benchmark
  public Frame encodeEchoReply() {
    return v2.encodeReply(echo);
  }

  @Benchmark
  public Message decodeText() {
    return v2.decode(clientText);
  }

  @Benchmark
  public Message decodeBinary() {
    return v2.decode(clientBinary);
  }

  @Benchmark
  public Frame encodeBinaryBroadcast() {
    return v2.encodeBroadcast(binaryBroadcast);
  }

  /** The npm client's kind-0 push: join_ref "1", ref "3", topic "room:lobby", event "upload", 256 payload bytes. */
  private static byte[] binaryPush() {
    byte[] head = {0, 1, 1, 10, 6};
    byte[] meta = "13room:lobbyupload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + meta.length + 256];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(meta, 0, out, head.length, meta.length);
    return out;
  }
}
