package dev.cinder.internal.netty.longpoll.forward;

/** The logical status of a long-poll POST (200, 400, 408 or 410) and, for a 400, why. */
public record PostOutcome(int status, String error) {}
