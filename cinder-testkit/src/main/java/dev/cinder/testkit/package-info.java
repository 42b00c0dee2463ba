/**
 * Tests against the official {@code phoenix} JavaScript client: {@link dev.cinder.testkit.PhoenixJs} runs it under
 * Node and drives it from JUnit, as {@link dev.cinder.testkit.JsSocket}s and {@link dev.cinder.testkit.JsChannel}s
 * over WebSocket or long-poll; {@link dev.cinder.testkit.PhoenixJsExtension} gives a test class one. The kit also
 * starts throwaway Redis and PostgreSQL servers for tests that need them.
 */
package dev.cinder.testkit;
