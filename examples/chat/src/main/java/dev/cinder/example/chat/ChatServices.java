package dev.cinder.example.chat;

/** What the example's channels share: the parts of the application that outlive a single join. */
final class ChatServices {
  ChatServices() {}
}
