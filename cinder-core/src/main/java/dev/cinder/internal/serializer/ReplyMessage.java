package dev.cinder.internal.serializer;

import dev.cinder.Payload;

/**
 * A {@code phx_reply}: the answer to the client message with ref {@code ref}. On the wire its payload is
 * {@code {"status": status, "response": response}}, or a kind-1 binary frame when the response is binary.
 */
public record ReplyMessage(String joinRef, String ref, String topic, String status, Payload response) {}
