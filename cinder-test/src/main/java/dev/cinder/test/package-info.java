/** Tests Cinder channels in-process, without a network. */
package dev.cinder.test;
