/**
 * Long-poll across the nodes of a cluster, over the endpoint's PubSub ({@link
 * dev.cinder.internal.netty.longpoll.forward.LongPollWire}): the asking node sends a request for a session held
 * elsewhere with a {@link dev.cinder.internal.netty.longpoll.forward.LongPollForwarder} and answers its client
 * through the {@link dev.cinder.internal.netty.longpoll.forward.AskingClient} it was given; the holding node
 * serves it with {@link dev.cinder.internal.netty.longpoll.forward.ForwardedRequests} on the session's {@link
 * dev.cinder.internal.netty.longpoll.forward.ForwardedSession} view.
 *
 * <p>Knows neither HTTP nor the long-poll sessions themselves, only these two interfaces, which the long-poll
 * transport implements: so the dependency goes one way, from {@code longpoll} to here.
 */
package dev.cinder.internal.netty.longpoll.forward;
