package dev.cinder.internal.netty.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;

/** A whole request that passed {@link RequestAdmission}, with what it asks for; the receiver releases it. */
public record RoutedRequest(FullHttpRequest request, QueryStringDecoder uri, RequestTarget target) {}
