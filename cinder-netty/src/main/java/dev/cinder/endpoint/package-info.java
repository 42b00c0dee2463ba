/**
 * The server: an {@link dev.cinder.endpoint.Endpoint} serves socket mounts (WebSocket and long-poll), HTTP routes
 * and static answers on Netty, with one PubSub and telemetry. {@link dev.cinder.endpoint.HttpOptions} sets the
 * HTTP server's limits and timeouts, {@link dev.cinder.endpoint.IoTransport} its I/O transport, and
 * {@link dev.cinder.endpoint.DrainOptions} how closing drains connected clients;
 * {@link dev.cinder.endpoint.DrainStatus} reports where the drain is, for readiness checks.
 */
package dev.cinder.endpoint;
