package dev.cinder.internal.netty.longpoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.SocketOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The session caps' settings, and which address a long-poll session counts against (over real sockets every
 * test client is 127.0.0.1 or ::1, so the grouping of IPv6 addresses by /64 is checked here).
 */
class LongPollSessionLimitsTest {
  private static String key(String address) throws Exception {
    return LongPollSessionLimits.addressKey(new InetSocketAddress(InetAddress.getByName(address), 4000));
  }

  @Test
  void theCapsDefaultToTheDocumentedValuesAndMustBePositive() {
    SocketOptions defaults = SocketOptions.defaults();
    assertThat(defaults.maxLongPollSessionsPerId()).isEqualTo(20);
    assertThat(defaults.maxLongPollSessionsPerAddress()).isEqualTo(1000);
    assertThat(defaults.maxLongPollSessions()).isEqualTo(100_000);
    assertThat(defaults.maxLongPollSessionsPerId(3).maxLongPollSessionsPerId()).isEqualTo(3);
    assertThat(defaults.maxLongPollSessionsPerId(3)).isNotEqualTo(defaults).isEqualTo(defaults.maxLongPollSessionsPerId(3));
    assertThatThrownBy(() -> defaults.maxLongPollSessionsPerId(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.maxLongPollSessionsPerAddress(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.maxLongPollSessions(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ipv4AddressesCountAsThemselves() throws Exception {
    assertThat(key("203.0.113.7")).isEqualTo("203.0.113.7");
    assertThat(key("203.0.113.8")).isEqualTo("203.0.113.8");
  }

  @Test
  void ipv6AddressesCountByTheirSlash64() throws Exception {
    assertThat(key("2001:db8:0:1::1")).isEqualTo("2001:db8:0:1:0:0:0:0/64");
    assertThat(key("2001:db8:0:1:ffff:abcd:1234:5678")).isEqualTo(key("2001:db8:0:1::1"));
    assertThat(key("2001:db8:0:2::1")).isNotEqualTo(key("2001:db8:0:1::1"));
  }

  @Test
  void anIpv4MappedAddressCountsAsItsIpv4Address() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 203, 0, 113, 7};
    InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
    assertThat(LongPollSessionLimits.addressKey(new InetSocketAddress(v6, 4000))).isEqualTo("203.0.113.7");
    assertThat(LongPollSessionLimits.addressKey(null)).isEqualTo("unknown");
  }
}
