package dev.cinder.client;

/**
 * A message received from the server.
 *
 * @param topic the topic
 * @param event the event
 * @param payload the payload, JSON or bytes
 * @param ref the ref: the pushed message's ref on a reply, a history position on a recovered broadcast, else null
 * @param joinRef the join_ref of the channel it belongs to, or null (broadcasts)
 */
public record Message(String topic, String event, Payload payload, String ref, String joinRef) {}
