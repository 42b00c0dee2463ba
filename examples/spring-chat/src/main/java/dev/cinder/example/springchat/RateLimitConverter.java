package dev.cinder.example.springchat;

import dev.cinder.example.chat.ChatConfig.RateLimitSetting;
import org.springframework.core.convert.converter.Converter;

/** Binds {@code COUNT/WINDOW_MS} (e.g. {@code 10/5000}) to a budget, as the plain example reads it. */
final class RateLimitConverter implements Converter<String, RateLimitSetting> {
  @Override
  public RateLimitSetting convert(String text) {
    return RateLimitSetting.parse(text);
  }
}
