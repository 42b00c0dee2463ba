package dev.cinder.example.chat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Where messages are stored: {@code DATABASE_URL} as a JDBC URL ({@code jdbc:h2:...} or
 * {@code jdbc:postgresql://host:5432/db?user=...}), or the {@code postgres://user:pass@host:5432/db} form that
 * hosting platforms hand out; unset means an H2 database file under {@code ./data/}, shared by every node
 * started in the same directory.
 *
 * @param jdbcUrl the URL for {@link java.sql.DriverManager}
 * @param properties user and password when they came outside the JDBC URL
 */
record DatabaseUrl(String jdbcUrl, Properties properties) {
  /**
   * The default store: an H2 file in {@code ./data/}. Nodes of one cluster started on one machine share it, and so
   * one history as they would on PostgreSQL: with AUTO_SERVER=TRUE (H2's mixed mode) the first process to open
   * the file serves it to the others over a loopback TCP port, and when that process stops, another takes over.
   * WRITE_DELAY=0 writes each commit out at once, so a killed process keeps its history. (Mixed mode needs H2 to
   * close the file at exit by itself: its default DB_CLOSE_ON_EXIT=TRUE.)
   */
  static final String DEFAULT = "jdbc:h2:file:./data/chat;AUTO_SERVER=TRUE;WRITE_DELAY=0";

  static DatabaseUrl parse(String value) {
    if (value == null || value.isBlank()) {
      return new DatabaseUrl(DEFAULT, new Properties());
    }
    String url = value.trim();
    if (url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:")) {
      return new DatabaseUrl(url, new Properties());
    }
    if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
      return fromPostgresUri(url);
    }
    throw new IllegalArgumentException("DATABASE_URL must be a jdbc:h2: or jdbc:postgresql: URL, or "
        + "postgres://user:password@host:port/database; got " + redact(url));
  }

  private static DatabaseUrl fromPostgresUri(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DATABASE_URL is not a valid URI: " + redact(url), e);
    }
    if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
      throw new IllegalArgumentException("DATABASE_URL needs a host and a database name: " + redact(url));
    }
    Properties properties = new Properties();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      properties.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) {
        properties.setProperty("password", decode(userInfo.substring(colon + 1)));
      }
    }
    String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new DatabaseUrl("jdbc:postgresql://" + uri.getHost() + port + uri.getRawPath() + query, properties);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** The URL without a password, for logs and error messages. */
  static String redact(String url) {
    return url.replaceAll("(//[^:/@]+:)[^@]*@", "$1***@").replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  boolean isH2() {
    return jdbcUrl.startsWith("jdbc:h2:");
  }

  /** An H2 URL in mixed mode, where the first process serves the file to the others. */
  boolean isH2AutoServer() {
    return isH2() && jdbcUrl.toUpperCase(java.util.Locale.ROOT).replace(" ", "").contains(";AUTO_SERVER=TRUE");
  }

  @Override
  public String toString() {
    return redact(jdbcUrl);
  }
}
