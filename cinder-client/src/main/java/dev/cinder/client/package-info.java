/** A Java client for the Phoenix channels protocol. */
package dev.cinder.client;
