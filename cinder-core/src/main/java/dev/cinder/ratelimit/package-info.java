/**
 * Rate limiting: {@link dev.cinder.ratelimit.RateLimiter}, a bounded, thread-safe count-per-window limiter per
 * key, and {@link dev.cinder.ratelimit.EventRateLimit}, the pipeline step that applies it to channel events.
 */
package dev.cinder.ratelimit;
