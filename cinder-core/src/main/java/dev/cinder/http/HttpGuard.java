package dev.cinder.http;

import java.util.Optional;

/**
 * Checks a request from its request line and headers alone, before any byte of its body is read, e.g. an
 * admin API's bearer token: an unauthenticated client is refused at once however large a body it announced.
 * Runs on the connection's I/O thread: it must be quick and must not block.
 */
@FunctionalInterface
public interface HttpGuard {
  /** Lets every request through. */
  HttpGuard NONE = head -> Optional.empty();

  /**
   * Empty to let the request through; a response (e.g. a 401) to refuse it, after which the connection is
   * closed. {@code head} is the request without its body: {@link HttpRequest#body()} is empty.
   */
  Optional<HttpResponse> check(HttpRequest head) throws Exception;
}
