/**
 * Signed tokens compatible with Phoenix.Token: {@link dev.cinder.token.PhoenixToken} signs and verifies the
 * tokens an Elixir application would (the same key derivation, MAC and term encoding), and
 * {@link dev.cinder.token.TokenResult} says whether a token was valid (with its data), expired, invalid or missing.
 */
package dev.cinder.token;
