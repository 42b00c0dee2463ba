/**
 * Pipelines: composable {@link dev.cinder.pipeline.Step}s that check and rewrite an incoming channel event
 * before its handler runs (required fields, length limits, HTML stripping, logging, rate limits), each either
 * passing a possibly changed payload on or stopping the event with an error for the client.
 */
package dev.cinder.pipeline;
