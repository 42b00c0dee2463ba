package dev.cinder.internal.netty.longpoll;

import dev.cinder.SocketOptions;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.socket.SocketMount;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the live long-poll sessions of each mount per socket id, per client address and in all, and refuses
 * a new session past the mount's caps ({@link SocketOptions#maxLongPollSessionsPerId()},
 * {@link SocketOptions#maxLongPollSessionsPerAddress()}, {@link SocketOptions#maxLongPollSessions()}), so one
 * token or one host cannot open sessions by the thousand. A session holds its {@link Slot} until it ends.
 */
final class LongPollSessionLimits {
  private static final Logger log = LoggerFactory.getLogger(LongPollSessionLimits.class);

  /** What is counted: the sessions of a mount with one socket id, from one address, or all of them. */
  private record Key(String mount, Kind kind, String value) {}

  private enum Kind { ALL, ID, ADDRESS }

  /** One session's place in the counts; released once, when the session ends. */
  final class Slot {
    private final List<Key> keys;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(List<Key> keys) {
      this.keys = keys;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        LongPollSessionLimits.this.release(keys);
      }
    }
  }

  // Only keys with live sessions are present, so the map is as large as the sessions are many at most.
  private final Map<Key, Integer> counts = new HashMap<>();

  /**
   * A slot for a new session of {@code mount} from {@code peer} whose socket has {@code socketId} (null: no
   * id), or null when one of the mount's caps is reached; a refusal is logged and counted in telemetry.
   */
  Slot reserve(SocketMount mount, InetSocketAddress peer, String socketId) {
    SocketOptions options = mount.options();
    Key all = new Key(mount.path(), Kind.ALL, "");
    Key address = new Key(mount.path(), Kind.ADDRESS, addressKey(peer));
    Key id = socketId == null ? null : new Key(mount.path(), Kind.ID, socketId);
    Kind full;
    synchronized (this) {
      full = count(all) >= options.maxLongPollSessions() ? Kind.ALL
          : count(address) >= options.maxLongPollSessionsPerAddress() ? Kind.ADDRESS
          : id != null && count(id) >= options.maxLongPollSessionsPerId() ? Kind.ID
          : null;
      if (full == null) {
        List<Key> keys = id == null ? List.of(all, address) : List.of(all, address, id);
        keys.forEach(k -> counts.merge(k, 1, Integer::sum));
        return new Slot(keys);
      }
    }
    mount.telemetry().transportError("longpoll", "too_many_sessions");
    log.debug("refused a long-poll session on {} from {} (socket id {}): the {} cap is reached", mount.path(),
        address.value(), LogSafe.clip(socketId), full.name().toLowerCase(java.util.Locale.ROOT));
    return null;
  }

  private int count(Key key) {
    return counts.getOrDefault(key, 0);
  }

  private synchronized void release(List<Key> keys) {
    keys.forEach(k -> counts.computeIfPresent(k, (key, n) -> n == 1 ? null : n - 1));
  }

  /**
   * The address a session counts against: an IPv4 address as is, an IPv6 address by its /64 prefix, as one
   * subscriber usually has a whole /64 to pick addresses from.
   */
  static String addressKey(InetSocketAddress peer) {
    InetAddress address = peer == null ? null : peer.getAddress();
    if (address == null) {
      return "unknown";
    }
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return address.getHostAddress();
    }
    if (ipv4Mapped(bytes)) {
      return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
    }
    Arrays.fill(bytes, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // only for an array of a wrong length
    }
  }

  /** {@code ::ffff:a.b.c.d}, an IPv4 client on a dual-stack socket. */
  private static boolean ipv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }
}
