/**
 * The channel API: what an application writes to serve the official {@code phoenix} JavaScript client.
 *
 * <p>A {@link dev.cinder.SocketHandler} decides in {@link dev.cinder.SocketHandler#connect} whether a client may
 * open a socket ({@link dev.cinder.Connect}, from its {@link dev.cinder.ConnectInfo} and {@link dev.cinder.Params})
 * and which {@link dev.cinder.Channel} serves each topic ({@link dev.cinder.Routes}). A channel answers joins with
 * a {@link dev.cinder.Join}, client events with a {@link dev.cinder.Reply} (or later, through a
 * {@link dev.cinder.ReplyRef}), and talks to its client and topic through its {@link dev.cinder.ChannelContext}.
 * Messages carry a {@link dev.cinder.Payload}; per-connection state lives in {@link dev.cinder.Assigns}.
 * {@link dev.cinder.PubSub} broadcasts to a topic's subscribers from anywhere, as {@link dev.cinder.Broadcast}s.
 * {@link dev.cinder.SocketOptions}, {@link dev.cinder.SlowConsumerPolicy} and {@link dev.cinder.CheckOrigin}
 * configure a socket mount; {@link dev.cinder.StopReason} says why a channel ended.
 */
package dev.cinder;
