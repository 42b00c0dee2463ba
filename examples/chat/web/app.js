// The Cinder chat page: plain JavaScript on the official phoenix client (served by the app from the npm package).
import { Socket } from "/vendor/phoenix.mjs";
import { Presence } from "/vendor/phoenix.mjs";
import { LongPoll } from "/vendor/phoenix.mjs";
// Rooms and notifications recover what they missed while the connection was down (rooms keep a history).
import { recoverableChannel } from "/vendor/recovery.mjs";

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ROOMS = ["lobby", "random", "secret"];
const TYPING_IDLE_MS = 2500; // we send typing:false after this long without a keystroke
const TYPING_SHOWN_MS = 6000; // others' indicator fades if their typing:false never comes
const STATUSES = { online: "Online", away: "Away", busy: "Busy" };
const ERRORS = {
  "Missing required fields: body": "Write something first.",
  body_too_long: "That message is too long (at most 4000 characters).",
  not_a_member: "This room is for its members only.",
  unauthorized: "You may not join this topic.",
};

const $ = (id) => document.getElementById(id);
const state = { userId: null, token: null, tokenAt: 0, socket: null, room: null, channel: null, notifications: null,
  blocked: new Set(), typingUsers: new Map(), typingSent: false, typingTimer: null,
  ownJoinPending: false, shownStatus: undefined,
  status: STATUSES[sessionStorage.getItem("cinder.status")] ? sessionStorage.getItem("cinder.status") : "online" };
// What the others see as this socket's device in the online list, e.g. "Chrome on Linux".
const DEVICE = deviceLabel(navigator.userAgent);

// ---- connection ---------------------------------------------------------------------------------------------
function setConnection(label, transport) {
  $("connection").dataset.state = label;
  $("connection").textContent = label;
  $("connection").title = transport ? `${label} over ${transport}` : label;
}

async function signIn(userId) {
  $("sign-in-error").hidden = true;
  const response = await fetch("/api/token", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: userId }) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `sign-in failed (${response.status})`);
  state.userId = userId;
  state.token = answer.token;
  sessionStorage.setItem("cinder.user_id", userId); // per tab, so two windows can be two users
  connect();
  $("sign-in").hidden = true;
  $("chat").hidden = false;
  $("whoami").hidden = false;
  $("me").textContent = userId;
  paintAvatar($("me-avatar"), userId);
  showStatus();
  renderRooms();
  joinRoom(location.hash.slice(1) || "lobby");
}

function connect() {
  setConnection("connecting");
  // Params are read again on every reconnect, so a refreshed token is used from then on. Where the WebSocket
  // fails (or opens but never answers) within 2.5 s, the client moves to long-poll, as Phoenix-generated apps do.
  const socket = new Socket("/socket", { params: () => ({ token: state.token, device: DEVICE }), longPollFallbackMs: 2500 });
  socket.onOpen(() => {
    setConnection("connected", socket.transport === LongPoll ? "long-poll" : "WebSocket");
    // Once a WebSocket has answered, an outage (a server restart) is no reason to leave it: the client would
    // otherwise fall back at the first failed reconnect and stay on long-poll (phoenix issue 5741, PR 6208).
    if (socket.transport !== LongPoll) socket.ping(() => { socket.longPollFallbackMs = null; });
  });
  socket.onError(() => { setConnection("reconnecting"); refreshToken(); });
  socket.onClose(() => setConnection(state.socket === socket ? "reconnecting" : "offline"));
  socket.connect();
  state.socket = socket;
  joinNotifications(socket);
}

/**
 * A server restarted without a fixed SECRET_KEY_BASE refuses the old token, which a browser cannot tell from
 * an outage: so while reconnecting, ask for a fresh token now and then.
 */
async function refreshToken() {
  if (Date.now() - (state.tokenAt || 0) < 2000) return;
  state.tokenAt = Date.now();
  try {
    const response = await fetch("/api/token", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: state.userId }) });
    if (response.ok) state.token = (await response.json()).token;
  } catch {
    // still down: the next error tries again
  }
}

function signOut() {
  const socket = state.socket;
  state.socket = null;
  state.channel = null;
  socket?.disconnect();
  sessionStorage.removeItem("cinder.user_id");
  location.hash = "";
  location.reload();
}

// ---- rooms --------------------------------------------------------------------------------------------------
function renderRooms() {
  const list = $("rooms");
  list.replaceChildren();
  const rooms = ROOMS.includes(state.room) || !state.room ? ROOMS : [...ROOMS, state.room];
  for (const room of rooms) {
    const button = el("button", { type: "button", className: room === state.room ? "room active" : "room" }, `#${room}`);
    button.addEventListener("click", () => joinRoom(room));
    list.append(el("li", {}, button));
  }
}

function joinRoom(room) {
  if (!ID.test(room)) return showBanner("A room id has 1 to 64 letters, digits, _ or -.");
  if (state.channel) state.channel.leave();
  stopTyping();
  state.room = room;
  state.typingUsers.clear();
  history.replaceState(null, "", `#${room}`);
  $("room-title").textContent = `#${room}`;
  $("body").placeholder = `Message #${room}`;
  $("messages").replaceChildren();
  renderTyping();
  hideBanner();
  renderRooms();
  renderPeople(null, "joining…");
  setRoomState("joining…");

  // A rejoin after a dropped connection asks for the messages missed since the last one shown: they arrive as
  // new_msg, in order, and message_history comes only when they could not all be recovered.
  const channel = recoverableChannel(state.socket, `room:${room}`, {});
  state.channel = channel;
  // The official client's Presence keeps the room's list from presence_state and presence_diff (and holds
  // diffs back after a rejoin until the new state arrives); we only draw it.
  const presence = new Presence(channel);
  presence.onSync(() => { if (state.channel === channel) renderPeople(presence); });
  channel.on("message_history", ({ messages }) => {
    $("messages").replaceChildren();
    if (messages.length === 0) addNote(`No messages in #${room} yet. Say hi!`).classList.add("empty-room");
    messages.forEach((m) => addMessage({ ...m, is_own_message: m.user_id === state.userId }));
  });
  channel.on("new_msg", (m) => { clearTyping(m.user_id); addMessage(m); });
  channel.on("user_joined", ({ user_id, relationship }) => {
    if (relationship === "blocked") state.blocked.add(user_id);
    if (relationship !== "self") return addNote(`${user_id} joined`);
    addNote(state.ownJoinPending ? `You joined #${room}` : "You joined from another device");
    state.ownJoinPending = false;
  });
  channel.on("user_typing", ({ user_id, typing }) => (typing ? markTyping(user_id) : clearTyping(user_id)));
  channel.on("result", ({ user_id, result }) => addNote(`${user_id}'s job finished: ${result.slice(0, 16)}…`));
  channel.on("error", (e) => showBanner(e.message || ERRORS[e.reason] || e.reason));
  channel.onError(() => {
    if (state.channel !== channel) return;
    setRoomState("reconnecting…");
    $("people").classList.add("stale"); // until the rejoin's presence_state
  });
  state.shownStatus = undefined;
  channel.join()
    .receive("ok", () => {
      state.ownJoinPending = true; // the next user_joined about us is this join's (rejoins included)
      state.shownStatus = undefined;
      setRoomState("");
      $("body").focus();
      // Every (re)join is tracked as "online": tell the room our chosen status again.
      if (state.status !== "online") pushStatus(channel);
    })
    .receive("error", ({ reason }) => {
      channel.leave(); // the client would retry a refused join forever
      if (state.channel === channel) state.channel = null;
      setRoomState("not joined");
      renderPeople(null, "Join the room to see who is here.");
      showBanner(`Cannot join #${room}: ${ERRORS[reason] || reason}`);
    })
    .receive("timeout", () => setRoomState("still joining…"));
}

function setRoomState(text) {
  $("room-state").textContent = text;
}

// ---- messages -----------------------------------------------------------------------------------------------
function addMessage(m) {
  if (state.blocked.has(m.user_id)) return;
  const list = $("messages");
  list.querySelector(".empty-room")?.remove();
  const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  const avatar = el("span", { className: "avatar" });
  paintAvatar(avatar, m.user_id);
  const when = new Date(m.inserted_at);
  const head = el("div", { className: "meta" },
    el("strong", { className: "author" }, m.is_own_message ? `${m.user_id} (you)` : m.user_id),
    el("time", { dateTime: m.inserted_at, title: when.toLocaleString() },
      when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
  if (!m.is_own_message) {
    const block = el("button", { type: "button", className: "block", title: `Hide ${m.user_id}'s messages everywhere` }, "Block");
    block.addEventListener("click", () => blockUser(m.user_id));
    head.append(block);
  }
  const item = el("li", { className: m.is_own_message ? "message own" : "message" }, avatar,
    el("div", { className: "bubble" }, head, el("p", { className: "text" }, m.body)));
  item.dataset.user = m.user_id;
  list.append(item);
  if (stick || m.is_own_message) list.scrollTop = list.scrollHeight;
}

function addNote(text) {
  const note = el("li", { className: "note" }, text);
  $("messages").append(note);
  $("messages").scrollTop = $("messages").scrollHeight;
  return note;
}

function blockUser(userId) {
  state.channel.push("block", { user_id: userId })
    .receive("ok", () => {
      state.blocked.add(userId);
      document.querySelectorAll(".message").forEach((m) => { if (m.dataset.user === userId) m.remove(); });
      clearTyping(userId);
      addNote(`You blocked ${userId}: their messages are hidden in every room.`);
    })
    .receive("error", ({ reason }) => showBanner(reason));
}

function send(event) {
  event.preventDefault();
  const input = $("body");
  const body = input.value;
  if (!body.trim() || !state.channel) return;
  state.channel.push("new_msg", { body });
  input.value = "";
  stopTyping();
}

// ---- typing -------------------------------------------------------------------------------------------------
function onKeystroke() {
  if (!state.channel) return;
  if (!state.typingSent && $("body").value) {
    state.channel.push("typing", { typing: true });
    state.typingSent = true;
  }
  clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
}

function stopTyping() {
  clearTimeout(state.typingTimer);
  if (state.typingSent && state.channel) state.channel.push("typing", { typing: false });
  state.typingSent = false;
}

function markTyping(userId) {
  if (state.blocked.has(userId)) return;
  clearTimeout(state.typingUsers.get(userId));
  state.typingUsers.set(userId, setTimeout(() => clearTyping(userId), TYPING_SHOWN_MS));
  renderTyping();
}

function clearTyping(userId) {
  clearTimeout(state.typingUsers.get(userId));
  state.typingUsers.delete(userId);
  renderTyping();
}

function renderTyping() {
  const names = [...state.typingUsers.keys()];
  $("typing").textContent = names.length === 0 ? ""
    : names.length === 1 ? `${names[0]} is typing…` : `${names.slice(0, -1).join(", ")} and ${names.at(-1)} are typing…`;
}

// ---- who is online --------------------------------------------------------------------------------------------
/**
 * The room's online list. Each presence key is a user; each of its metas one socket (tab or device) in the room,
 * {online_at, device, status}. The last meta is the most recently joined or updated one, so its status wins.
 */
function renderPeople(presence, empty = "") {
  const list = $("people");
  list.classList.remove("stale");
  const people = presence ? presence.list((userId, { metas }) => ({ userId, metas })) : [];
  people.sort((a, b) => (b.userId === state.userId) - (a.userId === state.userId) || a.userId.localeCompare(b.userId));
  $("people-count").textContent = presence ? String(people.length) : "";
  if (presence) followOwnStatus(people.find((p) => p.userId === state.userId));
  if (people.length === 0) {
    list.replaceChildren(el("li", { className: "empty" }, empty || "Nobody here."));
    return;
  }
  list.replaceChildren(...people.map(personItem));
}

function personItem({ userId, metas }) {
  const self = userId === state.userId;
  const status = String(metas.at(-1)?.status ?? "online");
  const devices = metas.map((m) => String(m.device ?? "unknown"));
  const since = Math.min(...metas.map((m) => Number(m.online_at) || Infinity));
  const avatar = el("span", { className: "avatar small" });
  paintAvatar(avatar, userId);
  const name = el("span", { className: "name" }, userId);
  if (self) name.append(el("span", { className: "you" }, "you"));
  const item = el("li", { className: self ? "person self" : "person" },
    el("span", { className: "presence-avatar" }, avatar, el("span", { className: "dot", title: statusLabel(status) })),
    el("span", { className: "who" }, name,
      el("span", { className: "detail" }, el("span", { className: "status-text" }, statusLabel(status)),
        el("span", { className: "devices" }, devices.length === 1 ? devices[0] : `${devices.length} devices`))));
  item.dataset.user = userId;
  item.dataset.status = STATUSES[status] ? status : "other";
  item.dataset.devices = String(devices.length);
  item.title = [`${userId}${self ? " (you)" : ""}: ${statusLabel(status)}`, ...devices.map((d) => `• ${d}`),
    Number.isFinite(since) ? `online since ${new Date(since * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}` : ""]
    .filter(Boolean).join("\n");
  return item;
}

/**
 * Our status as the room shows it is the status of our most recently changed socket, maybe another device's.
 * When that changes (we went "away" on the laptop), this tab's picker follows, so it shows what the others see
 * and this tab tells the same status on its next rejoin.
 */
function followOwnStatus(own) {
  const shown = own ? String(own.metas.at(-1)?.status) : undefined;
  const before = state.shownStatus;
  state.shownStatus = shown;
  if (before === undefined || shown === undefined || shown === before || !STATUSES[shown] || shown === state.status) return;
  state.status = shown;
  sessionStorage.setItem("cinder.status", shown);
  showStatus();
}

function statusLabel(status) {
  return STATUSES[status] ?? status;
}

function setStatus(status) {
  state.status = status;
  sessionStorage.setItem("cinder.status", status);
  showStatus();
  if (state.channel?.state === "joined") pushStatus(state.channel);
}

function pushStatus(channel) {
  channel.push("update_status", { status: state.status })
    .receive("error", ({ reason }) => showBanner(`Cannot set your status: ${reason}`));
}

function showStatus() {
  $("status").value = state.status;
  $("status-picker").dataset.status = state.status;
}

/** A short name for this browser, e.g. "Firefox on Windows"; the user agent string is only a hint. */
function deviceLabel(ua) {
  const browser = /Edg(e|A|iOS)?\//.test(ua) ? "Edge" : /OPR\/|Opera/.test(ua) ? "Opera"
    : /Firefox\/|FxiOS/.test(ua) ? "Firefox" : /Chrome\/|CriOS/.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "Browser";
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad|iPod/.test(ua) ? "iOS" : /CrOS/.test(ua) ? "ChromeOS"
    : /Windows/.test(ua) ? "Windows" : /Macintosh|Mac OS X/.test(ua) ? "macOS" : /Linux|X11/.test(ua) ? "Linux" : "";
  return os ? `${browser} on ${os}` : browser;
}

// ---- notifications ------------------------------------------------------------------------------------------
function joinNotifications(socket) {
  // Notifications missed while the connection was down arrive on the rejoin, in order.
  const channel = recoverableChannel(socket, `notifications:${state.userId}`, {});
  const trackPosition = channel.onMessage.bind(channel); // the recovery helper's: keep it in the chain
  channel.onMessage = (event, payload, ref, joinRef) => {
    // Replies and presence are the client's own business; everything else is a notification.
    if (!/^(phx_|chan_reply_|presence_)/.test(event)) addNotification(event, payload);
    return trackPosition(event, payload, ref, joinRef);
  };
  channel.join().receive("error", ({ reason }) => { channel.leave(); addNotification("error", { text: reason }); });
  state.notifications = channel;
}

function addNotification(event, payload) {
  const list = $("notifications");
  list.querySelector(".empty")?.remove();
  const text = payload?.text ?? payload?.message ?? payload?.body ?? JSON.stringify(payload);
  list.prepend(el("li", {}, el("strong", {}, event), " ", text,
    el("time", {}, new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }))));
  while (list.children.length > 20) list.lastChild.remove();
}

// ---- small helpers ------------------------------------------------------------------------------------------
function showBanner(text) {
  $("banner-text").textContent = text;
  $("banner").hidden = false;
}

function hideBanner() {
  $("banner").hidden = true;
}

/** An element with properties and children; text children become text nodes, never HTML. */
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function paintAvatar(node, userId) {
  let hash = 0;
  for (const c of userId) hash = (hash * 31 + c.codePointAt(0)) >>> 0;
  node.textContent = userId.slice(0, 1).toUpperCase();
  node.style.setProperty("--hue", String(hash % 360));
}

// ---- wiring -------------------------------------------------------------------------------------------------
$("sign-in-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const userId = $("user-id").value.trim();
  signIn(userId).catch((e) => { $("sign-in-error").textContent = e.message; $("sign-in-error").hidden = false; });
});
$("sign-out").addEventListener("click", signOut);
$("room-form").addEventListener("submit", (event) => {
  event.preventDefault();
  joinRoom($("room-id").value.trim());
  $("room-id").value = "";
});
$("composer").addEventListener("submit", send);
$("body").addEventListener("input", onKeystroke);
$("banner-close").addEventListener("click", hideBanner);
$("status").addEventListener("change", (event) => setStatus(event.target.value));

const remembered = sessionStorage.getItem("cinder.user_id");
if (remembered && ID.test(remembered)) signIn(remembered).catch(() => sessionStorage.removeItem("cinder.user_id"));
