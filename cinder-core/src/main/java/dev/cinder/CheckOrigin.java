package dev.cinder;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which browser origins may open sockets (Phoenix's {@code check_origin}). A request without an
 * {@code Origin} header is always allowed: non-browser clients send none.
 */
public sealed interface CheckOrigin {
  /** Every origin is allowed. */
  static CheckOrigin off() {
    return Off.INSTANCE;
  }

  /** The origin's host must equal {@code host} exactly; scheme and port are ignored (Phoenix's {@code true}). */
  static CheckOrigin host(String host) {
    return new Host(host);
  }

  /**
   * The origin must match one entry: {@code "https://example.com"}, {@code "//example.com"} (any scheme and
   * port) or {@code "//*.example.com"} (the domain and its subdomains). A missing scheme or port matches any.
   */
  static CheckOrigin list(List<String> origins) {
    return new Allowed(origins.stream().map(Allowed.Entry::parse).toList());
  }

  /** Whether a request with this {@code Origin} header value (null when absent) may connect. */
  boolean allows(String origin);

  private static URI parse(String origin) {
    try {
      return new URI(origin);
    } catch (Exception e) {
      return null;
    }
  }

  private static int portOf(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "http", "ws" -> 80;
      case "https", "wss" -> 443;
      default -> -1;
    };
  }

  /** Every origin allowed: {@link #off}. */
  enum Off implements CheckOrigin {
    INSTANCE;

    @Override
    public boolean allows(String origin) {
      return true;
    }
  }

  /** The origin host {@link #host(String)} allows. */
  record Host(String host) implements CheckOrigin {
    @Override
    public boolean allows(String origin) {
      if (origin == null) {
        return true;
      }
      URI uri = parse(origin);
      return uri != null && uri.getHost() != null && uri.getHost().equals(host);
    }
  }

  /** The origins {@link #list} allows. */
  record Allowed(List<Entry> entries) implements CheckOrigin {
    /** One allowed origin; a null scheme or a negative port matches any, a host {@code "*.d"} d and its subdomains. */
    public record Entry(String scheme, String host, int port) {
      static Entry parse(String text) {
        String trimmed = text.trim();
        // java.net.URI takes no "*" in a host name: parse the entry without the wildcard label, then put it back.
        int wildcard = trimmed.indexOf("//*.");
        URI uri = CheckOrigin.parse(
            wildcard < 0 ? trimmed : trimmed.substring(0, wildcard + 2) + trimmed.substring(wildcard + 4));
        if (uri == null || uri.getHost() == null) {
          throw new IllegalArgumentException("an allowed origin needs a host: " + text);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = (wildcard < 0 ? "" : "*.") + uri.getHost().toLowerCase(Locale.ROOT);
        return new Entry(scheme, host, CheckOrigin.portOf(uri)); // explicit port, else the scheme's, else any
      }

      boolean matches(String scheme, String host, int port) {
        boolean schemeOk = this.scheme == null || this.scheme.equals(scheme);
        boolean portOk = this.port < 0 || this.port == port;
        boolean hostOk = this.host.startsWith("*.")
            ? host.equals(this.host.substring(2)) || host.endsWith(this.host.substring(1))
            : this.host.equals(host);
        return schemeOk && portOk && hostOk;
      }
    }

    @Override
    public boolean allows(String origin) {
      if (origin == null) {
        return true;
      }
      URI uri = parse(origin);
      if (uri == null || uri.getHost() == null) {
        return false;
      }
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      int port = CheckOrigin.portOf(uri);
      return entries.stream().anyMatch(e -> e.matches(scheme, host, port));
    }
  }
}
