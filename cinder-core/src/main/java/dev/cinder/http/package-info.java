/**
 * Application HTTP routes served beside the sockets: {@link dev.cinder.http.HttpRoutes} maps a method and path
 * pattern to an {@link dev.cinder.http.HttpHandler}, which turns an {@link dev.cinder.http.HttpRequest} into an
 * {@link dev.cinder.http.HttpResponse} on a virtual thread. {@link dev.cinder.http.RouteOptions} sets a route's
 * limits, and an {@link dev.cinder.http.HttpGuard} can refuse a request from its headers before its body is read.
 */
package dev.cinder.http;
