// Recovery for phoenix.js channels on a Cinder server: a channel made here keeps the position of the last broadcast
// it received and, on every rejoin, asks the server for what it missed since. Works with the stock `phoenix`
// client (no patch); see docs/protocol.md, "Recovery", for the wire form.
//
//   import { recoverableChannel } from "./recovery.mjs";
//   const channel = recoverableChannel(socket, "room:lobby", { token }, {
//     onRecovery: (recovery) => { if (!recovery.recovered) reloadEverything(); },
//   });
//   channel.on("new_msg", (msg) => show(msg));   // missed messages arrive here too, in order, once each
//   channel.join();
//
// `params` may be an object or a function, as for socket.channel(); the helper adds `recover` to it on each join:
// `true` on the first (positions from now on), the last position seen on later ones. It reads positions in the
// channel's onMessage hook: an application that sets `channel.onMessage` itself calls the helper's from it, e.g.
//   const track = channel.onMessage.bind(channel);
//   channel.onMessage = (event, payload, ref, joinRef) => { mine(event, payload); return track(event, payload, ref, joinRef); };

const POSITION = /^[^:]+:\d+$/;

/**
 * A phoenix Channel that recovers what it missed on rejoin. `onRecovery(recovery)` is called on every join "ok"
 * with `{recovered, position, reason}`: `recovered` false means the server could not give everything missed (a
 * first join, history lost or too old) and the application should reload its state.
 */
export function recoverableChannel(socket, topic, params = {}, { onRecovery = () => {} } = {}) {
  let position = null;
  const channel = socket.channel(topic, () => ({
    ...(typeof params === "function" ? params() : params),
    recover: position ?? true,
  }));

  // Every message of the channel passes here before its bindings; broadcasts of a recoverable topic carry their
  // position as the ref (replies carry numeric refs, and pushes none).
  const onMessage = channel.onMessage.bind(channel);
  channel.onMessage = (event, payload, ref, joinRef) => {
    if (event !== "phx_reply" && typeof ref === "string" && POSITION.test(ref)) position = ref;
    return onMessage(event, payload, ref, joinRef);
  };

  // The join push is resent on every rejoin and keeps its hooks, so this runs on each join "ok".
  const join = channel.join.bind(channel);
  channel.join = (...args) => join(...args).receive("ok", (response) => {
    const recovery = response && response.recovery;
    if (!recovery) return; // the topic keeps no history: nothing to recover, ever
    if (!recovery.recovered) position = recovery.position;
    onRecovery(recovery);
  });

  channel.lastPosition = () => position;
  return channel;
}
