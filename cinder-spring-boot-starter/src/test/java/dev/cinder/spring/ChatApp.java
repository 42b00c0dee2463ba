package dev.cinder.spring;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.StopReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Scope;

/** A small application as a user writes it: a socket bean, a prototype channel bean and a service it uses. */
@SpringBootConfiguration
@EnableAutoConfiguration
class ChatApp {
  /** An ordinary application service, injected into every channel. */
  static class Greeter {
    private final AtomicInteger greeted = new AtomicInteger();

    String greet(String name) {
      return "Hello, " + name + " (#" + greeted.incrementAndGet() + ")";
    }
  }

  /** One instance per join (prototype scope), with its service injected through the constructor. */
  static class RoomChannel implements Channel {
    private final Greeter greeter;

    RoomChannel(Greeter greeter) {
      this.greeter = greeter;
    }

    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      return Join.ok(Map.of("instance", System.identityHashCode(this)));
    }

    @Override
    public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
      return switch (event) {
        case "greet" -> Reply.ok(Map.of("greeting", greeter.greet(payload.string("name"))));
        default -> Channel.super.handleIn(event, payload, ctx);
      };
    }
  }

  /** Holds the channels' {@code terminate} until the test opens it, so that the drain can be watched. */
  static class Gate {
    private final CountDownLatch open = new CountDownLatch(1);

    void open() {
      open.countDown();
    }

    void pass() {
      try {
        open.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A channel whose end waits at the gate: the drain is not over until it has passed. */
  static class HoldChannel implements Channel {
    private final Gate gate;

    HoldChannel(Gate gate) {
      this.gate = gate;
    }

    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      return Join.ok();
    }

    @Override
    public void terminate(StopReason reason, ChannelContext ctx) {
      gate.pass();
    }
  }

  static class UserSocket implements SocketHandler {
    private final ObjectProvider<RoomChannel> rooms;

    private final ObjectProvider<HoldChannel> holds;

    UserSocket(ObjectProvider<RoomChannel> rooms, ObjectProvider<HoldChannel> holds) {
      this.rooms = rooms;
      this.holds = holds;
    }

    @Override
    public void routes(Routes routes) {
      routes.channel("room:*", rooms::getObject);
      routes.channel("hold:*", holds::getObject);
    }

    @Override
    public Connect connect(Params params, ConnectInfo info) {
      return params.get("user") == null ? Connect.refuse() : Connect.ok(Map.of("user", params.get("user")));
    }
  }

  @Bean
  Greeter greeter() {
    return new Greeter();
  }

  @Bean
  @Scope("prototype")
  RoomChannel roomChannel(Greeter greeter) {
    return new RoomChannel(greeter);
  }

  @Bean
  Gate gate() {
    return new Gate();
  }

  @Bean
  @Scope("prototype")
  HoldChannel holdChannel(Gate gate) {
    return new HoldChannel(gate);
  }

  @Bean
  UserSocket userSocket(ObjectProvider<RoomChannel> rooms, ObjectProvider<HoldChannel> holds) {
    return new UserSocket(rooms, holds);
  }

  @Bean
  MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }
}
