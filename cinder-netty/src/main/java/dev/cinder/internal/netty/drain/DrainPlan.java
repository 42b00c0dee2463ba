package dev.cinder.internal.netty.drain;

import java.time.Duration;

/** How a drain closes the sockets, as the endpoint's {@code DrainOptions} set it (documented there). */
public record DrainPlan(int batchSize, Duration batchInterval, Duration shutdown) {}
