// Drives the chat page in Debian's Chromium as two users (one of them on a second, phone-sized device; plus one
// refused at a secret room, and one whose connection drops and who recovers what he missed), checks the online
// list, and saves screenshots. Run by ChatPageBrowserTest: node chat-page.mjs <pageUrl> <adminToken> <outDir>.
// Prints one JSON line per step; exits 0 when every check passed.
import { chromium } from "playwright-core";

const [pageUrl, adminToken, outDir] = process.argv.slice(2);
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const TIMEOUT = 10_000;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    + "Version/17.5 Mobile/15E148 Safari/604.1" };
const log = (step, extra = {}) => console.log(JSON.stringify({ step, ...extra }));
const problems = [];
// While the server is down (and just after, while old tokens are refused), Chromium logs each failed reconnect.
let outage = false;

async function open(browser, userId, room, device = { viewport: { width: 1180, height: 720 } }, link = null) {
  const context = await browser.newContext(device);
  const page = await context.newPage();
  if (link) await link.route(page);
  page.setDefaultTimeout(TIMEOUT);
  page.on("pageerror", (e) => problems.push(`${userId}: page error ${e.message}`));
  page.on("console", (m) => {
    const expected = outage && /ERR_CONNECTION_REFUSED|^WebSocket connection to .* failed/.test(m.text());
    if (m.type() === "error" && !expected) {
      problems.push(`${userId}: console error ${m.text()}`);
    }
  });
  await page.goto(`${pageUrl}#${room}`);
  await page.fill("#user-id", userId);
  await page.click("#sign-in-form button[type=submit]");
  await page.waitForSelector('#connection[data-state="connected"]');
  log("signed in", { userId, connection: await page.textContent("#connection") });
  return page;
}

/**
 * The page's WebSockets pass through here, so the test can break them as a network would: drop() closes them
 * under the page and refuses new ones until restore().
 */
function breakableLink() {
  const open = new Set();
  let blocked = false;
  return {
    route: (page) => page.routeWebSocket(/\/socket\/websocket/, (ws) => {
      if (blocked) return ws.close();
      const server = ws.connectToServer();
      open.add({ ws, server });
    }),
    drop: () => {
      blocked = true;
      for (const { ws, server } of open) { server.close(); ws.close(); }
      open.clear();
    },
    restore: () => { blocked = false; },
  };
}

/** Polls (rather than waiting on animation frames) since the pill changes many times a second meanwhile. */
async function connectionState(page, state) {
  try {
    await page.waitForFunction((s) => document.querySelector("#connection").dataset.state === s, state,
      { polling: 100, timeout: 20_000 });
  } catch (e) {
    const now = await page.evaluate(() => [document.querySelector("#connection").dataset.state, window.connectionStates]);
    throw new Error(`connection state is not ${state}: ${JSON.stringify(now)}; ${e.message}`);
  }
}

async function joined(page, room) {
  await page.waitForSelector(`.note:text("You joined #${room}")`);
}

/**
 * The page's online list as one snapshot: one "user status devices" string per entry, in the page's order (own entry
 * marked), whether the list is marked stale, and the count beside the title. Read in one evaluation, so a render
 * between two reads cannot pair an old list with a new count.
 */
function onlineSnapshot(page) {
  return page.evaluate(() => ({
    list: [...document.querySelectorAll("#people .person")].map((i) =>
      `${i.dataset.user}${i.classList.contains("self") && i.querySelector(".you") ? "(you)" : ""} `
      + `${i.querySelector(".status-text").textContent} ${i.dataset.devices}`),
    stale: document.getElementById("people").classList.contains("stale"),
    count: document.getElementById("people-count").textContent,
  }));
}

/**
 * Waits until the online list is exactly `expected` (e.g. ["alice(you) Online 1", "bob Away 2"]) and the count
 * says as many. A list kept from before a reconnect is marked stale until the rejoin's presence_state: it does
 * not count, since the same names may be drawn again only after a moment with nobody (the rejoin's state is
 * taken before this user is tracked again).
 */
async function online(page, expected, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let seen;
  while (JSON.stringify((seen = await onlineSnapshot(page)).list) !== JSON.stringify(expected) || seen.stale) {
    if (Date.now() > deadline) throw new Error(`online list is ${JSON.stringify(seen)}, not ${JSON.stringify(expected)}`);
    await page.waitForTimeout(50);
  }
  if (seen.count !== String(expected.length)) throw new Error(`online count is ${seen.count}, not ${expected.length}`);
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
try {
  const room = `browser-${Date.now()}`;
  const alice = await open(browser, "alice", room);
  await joined(alice, room);
  const bob = await open(browser, "bob", room);
  await joined(bob, room);
  await alice.waitForSelector('.note:text("bob joined")');
  log("both joined", { room });
  await online(alice, ["alice(you) Online 1", "bob Online 1"]);
  await online(bob, ["bob(you) Online 1", "alice Online 1"]);
  const device = await alice.textContent('.person[data-user="bob"] .devices');
  if (device !== "Chrome on Linux") throw new Error(`bob's device is shown as ${device}`);
  log("both see each other online", { device });

  // bob also opens the room on his phone: one user, two metas.
  const bobPhone = await open(browser, "bob", room, PHONE);
  await joined(bobPhone, room);
  await online(alice, ["alice(you) Online 1", "bob Online 2"]);
  const devices = await alice.getAttribute('.person[data-user="bob"]', "title");
  if (!/Chrome on Linux/.test(devices) || !/Safari on iOS/.test(devices)) throw new Error(`bob's devices: ${devices}`);
  log("alice sees bob on two devices", { devices });

  await bob.selectOption("#status", "away");
  await online(alice, ["alice(you) Online 1", "bob Away 2"]);
  await online(bobPhone, ["bob(you) Away 2", "alice Online 1"]);
  await bobPhone.waitForFunction(() => document.querySelector("#status").value === "away"); // his picker follows
  await bobPhone.waitForFunction(() => document.querySelector("#status").value === "away"); // his picker follows
  await bobPhone.screenshot({ path: `${outDir}/chat-page-phone.png` });
  log("alice sees bob away");

  await alice.click("#body");
  await alice.keyboard.type("Hello Bob, this is Alice!", { delay: 15 });
  await bob.waitForFunction(() => document.querySelector("#typing").textContent === "alice is typing…");
  log("bob sees alice typing");
  await alice.keyboard.press("Enter");
  await bob.waitForSelector('.message .text:text("Hello Bob, this is Alice!")');
  await bob.waitForFunction(() => document.querySelector("#typing").textContent === "");
  log("bob sees the message");

  await bob.fill("#body", "Hi Alice <b>no tags</b> here");
  await bob.press("#body", "Enter");
  await alice.waitForSelector('.message .text:text-is("Hi Alice no tags here")');
  log("alice sees bob's reply, HTML stripped");

  const notice = await fetch(new URL("/api/broadcast", pageUrl), { method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ topic: "notifications:bob", event: "announcement", payload: { text: "Maintenance at 18:00" } }) });
  if (notice.status !== 202) throw new Error(`admin broadcast answered ${notice.status}`);
  await bob.waitForSelector('#notifications li:has-text("Maintenance at 18:00")');
  const listed = await bob.$$eval("#notifications li strong", (items) => items.map((i) => i.textContent));
  if (listed.join() !== "announcement") throw new Error(`notifications should list only the announcement: ${listed}`);
  log("bob sees a notification");

  await alice.click("#body");
  await alice.keyboard.type("One more thing", { delay: 15 });
  await bob.waitForFunction(() => document.querySelector("#typing").textContent === "alice is typing…");
  await bob.screenshot({ path: `${outDir}/chat-page-bob.png` });
  await alice.screenshot({ path: `${outDir}/chat-page-alice.png` });
  log("screenshots", { dir: outDir });

  await bobPhone.context().close();
  await online(alice, ["alice(you) Online 1", "bob Away 1"]);
  log("alice sees bob's phone leave");

  await alice.keyboard.press("Enter");
  await bob.waitForSelector('.message .text:text("One more thing")');
  await bob.click('.message[data-user="alice"] button.block');
  await bob.waitForSelector('.note:text("You blocked alice: their messages are hidden in every room.")');
  if (await bob.$('.message[data-user="alice"]')) throw new Error("alice's messages are still shown after the block");
  await alice.fill("#body", "Can you still hear me?");
  await alice.press("#body", "Enter");
  await alice.waitForSelector('.message .text:text("Can you still hear me?")');
  // A fence, not a pause: alice saw her message, so her channel had handed it to bob's; bob's own message goes
  // through his channel after it, so once bob sees his, alice's would have been shown before it.
  await bob.fill("#body", "Quiet in here");
  await bob.press("#body", "Enter");
  await bob.waitForSelector('.message .text:text("Quiet in here")');
  if (await bob.$('.message .text:text("Can you still hear me?")')) throw new Error("bob got a message of alice after blocking her");
  log("bob blocked alice");

  // The server goes away and comes back (the test stops and starts it when told on stdout).
  await bob.evaluate(() => {
    window.connectionStates = [];
    const pill = document.querySelector("#connection");
    new MutationObserver(() => window.connectionStates.push(pill.dataset.state)).observe(pill, { attributes: true });
  });
  outage = true;
  log("stop the server");
  await connectionState(bob, "reconnecting");
  await bob.screenshot({ path: `${outDir}/chat-page-reconnecting.png` });
  log("bob sees reconnecting");
  await connectionState(bob, "connected");
  outage = false;
  await bob.waitForSelector('.message .text:text("Hi Alice no tags here")'); // the rejoin brought the history back
  // Still over a WebSocket: the page's long-poll fallback is for networks that block WebSockets, not for outages.
  const transport = await bob.getAttribute("#connection", "title");
  if (transport !== "connected over WebSocket") throw new Error(`after the restart bob is ${transport}`);
  log("bob is connected again", { states: await bob.evaluate(() => window.connectionStates), transport });
  // The restarted server knows nobody: the rejoins track both again, and bob's page tells his status again.
  await online(bob, ["bob(you) Away 1", "alice Online 1"]);
  log("bob's online list is back after the restart");

  // dave's connection drops for a while: what was sent meanwhile arrives when it is back, in order, once, and the
  // room is not reloaded.
  const daveLink = breakableLink();
  const dave = await open(browser, "dave", room, undefined, daveLink);
  await joined(dave, room);
  await alice.fill("#body", "Before the drop");
  await alice.press("#body", "Enter");
  await dave.waitForSelector('.message .text:text("Before the drop")');
  // A mark on what the page shows now: a reload of the room would replace these elements.
  await dave.$$eval(".message", (items) => items.forEach((i) => { i.dataset.shownBeforeDrop = "yes"; }));
  outage = true;
  daveLink.drop();
  await connectionState(dave, "reconnecting");
  for (const text of ["Missed one", "Missed two", "Missed three"]) {
    await alice.fill("#body", text);
    await alice.press("#body", "Enter");
    await alice.waitForSelector(`.message .text:text("${text}")`);
  }
  const away = await fetch(new URL("/api/broadcast", pageUrl), { method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ topic: "notifications:dave", event: "announcement", payload: { text: "While you were away" } }) });
  if (away.status !== 202) throw new Error(`admin broadcast answered ${away.status}`);
  daveLink.restore();
  await connectionState(dave, "connected");
  outage = false;
  await dave.waitForSelector('.message .text:text("Missed three")');
  await dave.waitForSelector('#notifications li:has-text("While you were away")');
  const daveSees = await dave.$$eval(".message .text", (items) => items.map((i) => i.textContent));
  const tail = daveSees.slice(daveSees.indexOf("Before the drop"));
  if (tail.join("|") !== "Before the drop|Missed one|Missed two|Missed three") {
    throw new Error(`after the drop dave shows ${JSON.stringify(daveSees)}`);
  }
  const kept = await dave.$$eval(".message[data-shown-before-drop]", (items) => items.length);
  if (kept === 0) throw new Error("dave's room was reloaded on the rejoin");
  log("dave got what he missed while his connection was down", { messages: tail });
  await dave.context().close();

  await alice.context().close();
  await online(bob, ["bob(you) Away 1"]);
  log("alice left and bob no longer sees her");

  const carol = await open(browser, "carol", "secret");
  await carol.waitForSelector('#banner:has-text("Cannot join #secret")');
  log("carol is refused at #secret", { banner: (await carol.textContent("#banner-text")).trim() });
  await carol.screenshot({ path: `${outDir}/chat-page-refused.png` });

  if (problems.length) throw new Error(problems.join("; "));
  log("done", { ok: true });
} catch (e) {
  log("failed", { error: String(e.stack || e), problems });
  process.exitCode = 1;
} finally {
  await browser.close();
}
