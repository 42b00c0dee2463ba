// Drives the official phoenix JS client under Node for Cinder's JUnit tests (see PhoenixJs.java).
//
// Protocol: one JSON command per stdin line, {"id": 1, "cmd": "join", ...}; one JSON line per answer,
// {"id": 1, "ok": true, "result": ...} or {"id": 1, "ok": false, "error": "..."}; and unsolicited event
// lines without an id, {"type": "message", ...}. Nothing else may be written to stdout.
// Binary data travels as Base64: a binary payload as {"binaryBase64": "..."}.
import { readFileSync } from "node:fs";
import readline from "node:readline";
import WsWebSocket from "ws";
import { LongPoll as PhxLongPoll, Presence, Socket } from "phoenix";
import { recoverableChannel } from "../../cinder-js/recovery.mjs";

// phoenix logs with console.log (for example an unparsable long-poll body): stdout belongs to the protocol.
console.log = console.info = console.debug = (...args) => console.error(...args);

const phoenixVersion = JSON.parse(
  readFileSync(new URL("./node_modules/phoenix/package.json", import.meta.url), "utf8")).version;

// ArrayBuffers anywhere in a value (binary replies) become {"binaryBase64": ...}.
const replacer = (_key, value) =>
  value instanceof ArrayBuffer ? { binaryBase64: Buffer.from(value).toString("base64") } : value;
const out = (line) => process.stdout.write(JSON.stringify(line, replacer) + "\n");
const emit = (type, fields) => out({ type, ...fields });

const toArrayBuffer = (base64) => {
  const bytes = Buffer.from(base64, "base64");
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
};

/** Per-socket sessionStorage: phoenix keeps its "fall back to long-poll" memory there; Node has none. */
class MemoryStorage {
  #items;
  constructor(initial = {}) { this.#items = new Map(Object.entries(initial)); }
  getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
  setItem(key, value) { this.#items.set(key, String(value)); }
  removeItem(key) { this.#items.delete(key); }
  clear() { this.#items.clear(); }
  snapshot() { return Object.fromEntries(this.#items); }
}

/**
 * The transport class. Node 20 has no global WebSocket, so the ws package plays the browser's part; the
 * subclasses only add extra handshake/request headers (e.g. Origin). They keep the names phoenix reports
 * through socket.transportName(). The long-poll fallback always uses phoenix's own LongPoll (no headers).
 */
function transportClass(kind, headers) {
  if (kind === "websocket") {
    return headers
      ? class WebSocket extends WsWebSocket { constructor(url, protocols) { super(url, protocols, { headers }); } }
      : WsWebSocket;
  }
  if (kind === "longpoll") {
    return headers
      ? class LongPoll extends PhxLongPoll { ajax(method, h, ...rest) { return super.ajax(method, { ...h, ...headers }, ...rest); } }
      : PhxLongPoll;
  }
  throw new Error(`unknown transport ${kind}: use websocket or longpoll`);
}

/** A number is a fixed delay; an array gives the delay per try, its last entry repeating. */
const backoff = (spec) => (tries) => (Array.isArray(spec) ? spec[Math.min(tries, spec.length) - 1] : spec);

const describeError = (error) =>
  error && typeof error === "object" ? String(error.message ?? error.error?.message ?? error.type ?? error) : String(error);

/** `what` may be a function, to describe the state at the moment the wait gives up. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(typeof what === "function" ? what() : what)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const REPLY_GRACE_MS = 1000;

/** name -> {socket, channels: topic -> newest Channel, presenceTopics, storage, reported payloads} */
const sockets = new Map();

function entryOf(name) {
  const entry = sockets.get(name);
  if (!entry) throw new Error(`no socket named ${name}`);
  return entry;
}

function channelOf(name, topic) {
  const channel = entryOf(name).channels.get(topic);
  if (!channel) throw new Error(`socket ${name} has not joined ${topic}`);
  return channel;
}

/**
 * Resolves with the first reply, whatever its status: receive() only matches exact strings and a server may
 * reply with any status atom. Wrapping this push's matchReceive leaves the client's own hooks untouched.
 * The client itself may never answer (a join waits for the socket to open, a transport error resets its
 * timer), hence our own deadline a little after the push's.
 */
function firstReply(push) {
  const channel = push.channel;
  const deadline = push.timeout + REPLY_GRACE_MS;
  return withTimeout(replyOf(push), deadline, () =>
    `no ${push.event} reply within ${deadline} ms (channel ${channel.topic} is ${channel.state}, socket is ${channel.socket.connectionState()})`);
}

function replyOf(push) {
  return new Promise((resolve) => {
    // A leave while disconnected is answered "ok" before leave() even returns.
    if (push.receivedResp) {
      resolve({ status: push.receivedResp.status, response: push.receivedResp.response ?? null });
      return;
    }
    const matchReceive = push.matchReceive.bind(push);
    let done = false;
    push.matchReceive = (reply) => {
      if (!done) { done = true; resolve({ status: reply.status, response: reply.response ?? null }); }
      matchReceive(reply);
    };
  });
}

/**
 * Reports a wire message that a channel accepted (phoenix drops those with an outdated join_ref), before the
 * channel's own callbacks run. Local triggers (reply fan-out, transport errors, leave) carry no ref argument.
 * Channels of one topic share the payload object of one message, which keeps it from being reported twice.
 */
function reportMessage(name, entry, topic, event, payload, ref, joinRef) {
  if (ref === undefined) return;
  if (payload !== null && typeof payload === "object") {
    if (entry.reported.has(payload)) return;
    entry.reported.add(payload);
  }
  const body = payload instanceof ArrayBuffer ? { binaryBase64: Buffer.from(payload).toString("base64") } : { payload };
  emit("message", { socket: name, topic, event, ...body, joinRef: joinRef ?? null, ref: ref ?? null });
}

function attachPresence(name, channel) {
  const topic = channel.topic;
  const presence = new Presence(channel);
  presence.onJoin((key, current, joined) => emit("presenceJoin", { socket: name, topic, key, current: current ?? null, joined }));
  presence.onLeave((key, current, left) => emit("presenceLeave", { socket: name, topic, key, current, left }));
  // `list` is the client's Presence.list(); `state` is the same keyed by presence key, to compare with the server.
  presence.onSync(() => emit("presenceSync", {
    socket: name, topic, list: presence.list(), state: Object.fromEntries(presence.list((key, p) => [key, p]))
  }));
}

const commands = {
  version: () => ({ node: process.version, phoenix: phoenixVersion }),

  async connect({ socket: name, url, params = {}, transport = "websocket", headers, authToken, vsn, timeout,
    heartbeatIntervalMs, longPollFallbackMs, longpollerTimeout, reconnectAfterMs, rejoinAfterMs,
    sessionStorage, debug = false, awaitOpen = true, openTimeoutMs = 5000 }) {
    if (sockets.has(name)) throw new Error(`socket ${name} exists; disconnect it first`);
    // Relative endpoints would need a browser's location object.
    if (!/^(wss?|https?):\/\//.test(url)) throw new Error(`url must be absolute (ws://host:port/socket), got ${url}`);
    const storage = new MemoryStorage(sessionStorage ?? {});
    const opts = { params, transport: transportClass(transport, headers), sessionStorage: storage };
    Object.entries({ authToken, vsn, timeout, heartbeatIntervalMs, longPollFallbackMs, longpollerTimeout })
      .filter(([, value]) => value !== undefined && value !== null)
      .forEach(([key, value]) => { opts[key] = value; });
    if (reconnectAfterMs != null) opts.reconnectAfterMs = backoff(reconnectAfterMs);
    if (rejoinAfterMs != null) opts.rejoinAfterMs = backoff(rejoinAfterMs);
    if (debug) opts.logger = (kind, msg, data) => console.error(`[${name}] ${kind}: ${msg}`, data ?? "");

    const socket = new Socket(url, opts);
    const entry = { socket, channels: new Map(), presenceTopics: new Set(), storage, reported: new WeakSet() };
    sockets.set(name, entry);
    socket.onOpen(() => emit("open", { socket: name, transport: socket.transportName(socket.transport) }));
    socket.onClose((e) => emit("close", { socket: name, code: e?.code ?? null, reason: e?.reason ?? null, wasClean: e?.wasClean ?? null }));
    socket.onError((error) => emit("error", { socket: name, reason: describeError(error) }));

    let opened = null;
    if (awaitOpen) {
      let ref;
      opened = withTimeout(new Promise((resolve) => { ref = socket.onOpen(resolve); }), openTimeoutMs,
        `socket did not open within ${openTimeoutMs} ms (see its error/close events)`)
        .finally(() => socket.off([ref]));
    }
    socket.connect();
    if (!opened) return { state: socket.connectionState() };
    try {
      await opened;
    } catch (e) {
      sockets.delete(name); // stop the reconnect loop: nobody will use this socket
      socket.disconnect();
      throw e;
    }
    return { transport: socket.transportName(socket.transport) };
  },

  presence({ socket: name, topic }) {
    const entry = entryOf(name);
    entry.presenceTopics.add(topic);
    // Attaching to a channel that already joined works, but its presence_state has probably gone by.
    const existing = entry.channels.get(topic);
    if (existing) attachPresence(name, existing);
    return {};
  },

  // recover: the channel comes from cinder-js/recovery.mjs, and each join's recovery is reported as an event.
  join({ socket: name, topic, params = {}, timeout, recover = false }) {
    const entry = entryOf(name);
    const channel = recover
      ? recoverableChannel(entry.socket, topic, params, {
        onRecovery: (recovery) => emit("recovery", { socket: name, topic, recovery, position: channel.lastPosition() }),
      })
      : entry.socket.channel(topic, params);
    const onMessage = channel.onMessage.bind(channel); // the recovery helper's, which tracks positions
    channel.onMessage = (event, payload, ref, joinRef) => {
      reportMessage(name, entry, topic, event, payload, ref, joinRef);
      return onMessage(event, payload, ref, joinRef);
    };
    channel.onError((reason) => emit("channelError", { socket: name, topic, reason: reason ?? null, joinRef: channel.joinRef() ?? null }));
    channel.onClose((reason) => emit("channelClose", { socket: name, topic, reason: reason ?? null, joinRef: channel.joinRef() ?? null }));
    if (entry.presenceTopics.has(topic)) attachPresence(name, channel);
    entry.channels.set(topic, channel);
    const reply = firstReply(channel.join(timeout));
    return reply.then((r) => ({ ...r, joinRef: channel.joinRef() ?? null }));
  },

  push({ socket: name, topic, event, payload = {}, binaryBase64, timeout }) {
    const body = binaryBase64 != null ? toArrayBuffer(binaryBase64) : payload;
    return firstReply(channelOf(name, topic).push(event, body, timeout));
  },

  pushNoReply({ socket: name, topic, event, payload = {}, binaryBase64 }) {
    const channel = channelOf(name, topic);
    const body = binaryBase64 != null ? toArrayBuffer(binaryBase64) : payload;
    const push = channel.push(event, body);
    return { ref: push.ref ?? null, joinRef: channel.joinRef() ?? null };
  },

  leave({ socket: name, topic, timeout }) {
    return firstReply(channelOf(name, topic).leave(timeout));
  },

  ping({ socket: name, timeout = 5000 }) {
    const { socket } = entryOf(name);
    const rtt = new Promise((resolve, reject) => {
      if (!socket.ping((ms) => resolve({ rtt: ms }))) reject(new Error("socket is not connected"));
    });
    return withTimeout(rtt, timeout, `no heartbeat reply within ${timeout} ms`);
  },

  state({ socket: name }) {
    if (name == null) return { sockets: [...sockets.keys()] };
    const { socket, channels, storage } = entryOf(name);
    const channelStates = Object.fromEntries([...channels].map(([topic, channel]) =>
      [topic, { state: channel.state, joinRef: channel.joinRef() ?? null }]));
    return {
      connectionState: socket.connectionState(),
      connected: socket.isConnected(),
      transport: socket.transportName(socket.transport),
      channels: channelStates,
      sessionStorage: storage.snapshot(),
    };
  },

  // The connection breaks under the client (no close frame), as when a network drops: it reconnects by itself.
  drop({ socket: name }) {
    const { socket } = entryOf(name);
    if (!socket.conn) throw new Error(`socket ${name} has no connection to drop`);
    if (typeof socket.conn.terminate === "function") socket.conn.terminate();
    else socket.conn.close();
    return {};
  },

  async disconnect({ socket: name, code, reason }) {
    const { socket } = entryOf(name);
    await new Promise((resolve) => socket.disconnect(resolve, code ?? undefined, reason ?? undefined));
    sockets.delete(name);
    return {};
  },

  exit: () => ({}),
};

async function handle(line) {
  let command;
  try {
    command = JSON.parse(line);
  } catch {
    emit("driverError", { message: `not JSON: ${line}` });
    return;
  }
  const { id, cmd } = command;
  try {
    const run = commands[cmd];
    if (!run) throw new Error(`unknown command ${cmd}`);
    const result = await run(command);
    const answer = JSON.stringify({ id, ok: true, result: result ?? null }, replacer) + "\n";
    if (cmd === "exit") process.stdout.write(answer, () => process.exit(0));
    else process.stdout.write(answer);
  } catch (e) {
    out({ id, ok: false, error: e?.message ?? String(e) });
  }
}

// A throw inside a client callback must not kill the driver; the Java side collects these.
process.on("uncaughtException", (e) => emit("driverError", { message: e?.stack ?? String(e) }));
process.on("unhandledRejection", (e) => emit("driverError", { message: e?.stack ?? String(e) }));

const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on("line", (line) => { if (line.trim()) handle(line); });
// The JVM went away (or closed our stdin): nothing can read our answers any more.
input.on("close", () => process.exit(0));
