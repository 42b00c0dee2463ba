package dev.cinder.internal;

import tools.jackson.databind.json.JsonMapper;

/** The one Jackson mapper Cinder uses: thread-safe, configured once. */
public final class Json {
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}
}
