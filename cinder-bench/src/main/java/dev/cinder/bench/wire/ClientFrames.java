package dev.cinder.bench.wire;

/** The V2 text frames a phoenix.js client sends, written the way the npm client writes them. */
public final class ClientFrames {
  private ClientFrames() {}

  public static String join(String joinRef, String topic) {
    return join(joinRef, topic, "{}");
  }

  public static String join(String joinRef, String topic, String payloadJson) {
    return "[\"" + joinRef + "\",\"" + joinRef + "\",\"" + topic + "\",\"phx_join\"," + payloadJson + "]";
  }

  /**
   * The join payload that asks for recovery: {@code {"recover":true}} without a position (a first join: positions from
   * now on), else {@code {"recover":"<position>"}} (every broadcast after it first).
   */
  public static String recoverPayload(String position) {
    return position == null ? "{\"recover\":true}" : "{\"recover\":\"" + position + "\"}";
  }

  public static String heartbeat(String ref) {
    return "[null,\"" + ref + "\",\"phoenix\",\"heartbeat\",{}]";
  }

  public static String push(String joinRef, String ref, String topic, String event, String payloadJson) {
    return "[\"" + joinRef + "\",\"" + ref + "\",\"" + topic + "\",\"" + event + "\"," + payloadJson + "]";
  }

  /** The reply payload a server sends for status {@code ok} and the given response, as Cinder encodes it. */
  public static boolean isOkReply(ServerFrame f) {
    return "phx_reply".equals(f.event()) && f.payload().contains("\"status\":\"ok\"");
  }

  /** The {@code reason} of an error reply, or null. */
  public static String errorReason(ServerFrame f) {
    if (!"phx_reply".equals(f.event()) || !f.payload().contains("\"status\":\"error\"")) {
      return null;
    }
    String p = f.payload();
    int at = p.indexOf("\"reason\":\"");
    if (at < 0) {
      return "error";
    }
    int start = at + "\"reason\":\"".length();
    int end = p.indexOf('"', start);
    return end < 0 ? "error" : p.substring(start, end);
  }
}
