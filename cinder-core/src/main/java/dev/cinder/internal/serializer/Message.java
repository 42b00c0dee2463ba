package dev.cinder.internal.serializer;

import dev.cinder.Payload;

/**
 * One message of the Phoenix wire protocol (docs/protocol.md). {@code joinRef} and {@code ref} are opaque strings
 * chosen by the client, either may be null.
 */
public record Message(String joinRef, String ref, String topic, String event, Payload payload) {}
