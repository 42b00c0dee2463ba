package dev.cinder.client;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * What a transport needs to connect.
 *
 * @param endpoint the socket's endpoint WITHOUT the {@code /websocket} or {@code /longpoll} suffix
 * @param query the query parameters, {@code vsn} included
 * @param subprotocols WebSocket subprotocols to offer ({@code phoenix} and the auth token entry), possibly empty
 * @param headers extra headers for the handshake and HTTP requests
 */
public record TransportRequest(URI endpoint, Map<String, String> query, List<String> subprotocols,
                               Map<String, String> headers) {}
