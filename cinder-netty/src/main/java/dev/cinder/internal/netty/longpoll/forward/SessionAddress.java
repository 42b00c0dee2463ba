package dev.cinder.internal.netty.longpoll.forward;

/** Where a long-poll session lives, as its token says: the node holding it and its id there. */
public record SessionAddress(String node, String id) {}
