package dev.cinder.redis;

/** A message on a Cinder channel that is not a valid envelope: someone else's traffic, or garbage. */
final class MalformedEnvelopeException extends RuntimeException {
  MalformedEnvelopeException(String reason) {
    super(reason, null, false, false); // no stack trace: these are counted, not debugged
  }
}
