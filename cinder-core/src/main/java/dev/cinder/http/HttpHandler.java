package dev.cinder.http;

/** An application HTTP route. Runs on a virtual thread, so it may block. An exception answers 500. */
@FunctionalInterface
public interface HttpHandler {
  HttpResponse handle(HttpRequest request) throws Exception;
}
