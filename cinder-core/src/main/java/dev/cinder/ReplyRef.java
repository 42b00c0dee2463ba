package dev.cinder;

/** Identifies a client message to be answered later, from another callback or thread. */
public record ReplyRef(String topic, String joinRef, String ref) {}
