package dev.cinder.internal.netty.http;

import java.time.Duration;

/**
 * The limits and timeouts of the HTTP server, as the endpoint's {@code HttpOptions} set them (each value is
 * documented there); a plain copy, so that the HTTP machinery needs nothing from the public API package.
 */
public record HttpLimits(Duration headerTimeout, Duration bodyTimeout, Duration keepAliveTimeout, long maxBodySize,
    long maxLongPollBodySize, long maxBodyBytesInFlight, int maxRequestLineLength, int maxHeaderSize,
    int maxPipelinedRequests) {}
