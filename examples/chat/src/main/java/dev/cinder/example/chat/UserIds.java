package dev.cinder.example.chat;

import java.util.regex.Pattern;

/** The shape of user ids and room ids in the contract: {@code ^[A-Za-z0-9_-]{1,64}$}. */
final class UserIds {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private UserIds() {}

  static boolean valid(String id) {
    return id != null && ID.matcher(id).matches();
  }
}
