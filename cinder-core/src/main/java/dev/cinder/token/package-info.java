/**
 * Phoenix.Token compatible signed tokens ({@link dev.cinder.token.PhoenixToken}) and the Erlang
 * External Term Format subset they carry ({@link dev.cinder.internal.token.Etf}).
 */
package dev.cinder.token;
