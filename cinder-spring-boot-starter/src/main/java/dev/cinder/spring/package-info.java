/**
 * Spring Boot auto-configuration for Cinder: define a {@link dev.cinder.SocketHandler} bean and set
 * {@code cinder.secret-key-base}; the starter serves it on Cinder's own port ({@code cinder.port}, 4000).
 */
package dev.cinder.spring;
