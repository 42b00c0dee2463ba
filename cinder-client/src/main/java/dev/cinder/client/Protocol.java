package dev.cinder.client;

/** The frame format a socket speaks, chosen by the {@code vsn} query parameter. */
public enum Protocol {
  /** Version 2.0.0: JSON arrays in text frames, and binary frames for {@code byte[]}/{@code ByteBuffer} payloads. */
  V2("2.0.0"),
  /** Version 1.0.0: JSON objects in text frames; binary payloads are not possible. */
  V1_JSON("1.0.0");

  private final String vsn;

  Protocol(String vsn) {
    this.vsn = vsn;
  }

  /**
   * The value of the {@code vsn} query parameter.
   *
   * @return e.g. {@code "2.0.0"}
   */
  public String vsn() {
    return vsn;
  }
}
