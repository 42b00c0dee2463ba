// The chat page where WebSockets cannot get through: alice opens it through a proxy that passes plain HTTP but
// refuses every WebSocket upgrade (like the networks the fallback is for), so the official client's
// longPollFallbackMs moves her to long-poll; bob opens it directly, on a WebSocket. They chat both ways and see
// each other online; alice's reload goes straight to long-poll. Run by ChatFallbackBrowserTest:
// node chat-fallback.mjs <appUrl> <proxyPort> <outDir>. Prints one JSON line per step; exits 0 when every check passed.
import http from "node:http";
import { chromium } from "playwright-core";

const [appUrl, proxyPort, outDir] = process.argv.slice(2);
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const TIMEOUT = 10_000;
const log = (step, extra = {}) => console.log(JSON.stringify({ step, ...extra }));
const problems = [];
const app = new URL(appUrl);

// ---- the proxy: HTTP through, WebSocket upgrades refused ------------------------------------------------------
const refusedUpgrades = [];
const proxy = http.createServer((req, res) => {
  const upstream = http.request({ host: app.hostname, port: app.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => { res.writeHead(answer.statusCode, answer.headers); answer.pipe(res); });
  upstream.on("error", (e) => { res.destroy(e); });
  req.pipe(upstream);
});
proxy.on("upgrade", (req, socket) => {
  refusedUpgrades.push(req.url);
  socket.end("HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
});
await new Promise((resolve) => proxy.listen(Number(proxyPort), "127.0.0.1", resolve));
const proxyUrl = `http://127.0.0.1:${proxyPort}/`;

// ---- pages ----------------------------------------------------------------------------------------------------
async function open(browser, userId, pageUrl, room, expectedConsoleErrors) {
  const context = await browser.newContext({ viewport: { width: 1180, height: 720 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const traffic = { longPoll: 0, webSockets: 0 };
  page.on("request", (r) => { if (new URL(r.url()).pathname === "/socket/longpoll") traffic.longPoll++; });
  page.on("websocket", () => traffic.webSockets++);
  page.on("pageerror", (e) => problems.push(`${userId}: page error ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !(expectedConsoleErrors && expectedConsoleErrors.test(m.text()))) {
      problems.push(`${userId}: console error ${m.text()}`);
    }
  });
  await page.goto(`${pageUrl}#${room}`);
  await page.fill("#user-id", userId);
  await page.click("#sign-in-form button[type=submit]");
  await page.waitForSelector(`.note:text("You joined #${room}")`);
  return { page, traffic };
}

/** The transport the page says it is connected over, once connected. */
async function connectedOver(page) {
  await page.waitForSelector('#connection[data-state="connected"]');
  return page.getAttribute("#connection", "title");
}

async function online(page, expected) {
  const deadline = Date.now() + TIMEOUT;
  let list;
  while (JSON.stringify(list = await page.$$eval("#people .person", (items) => items.map((i) => i.dataset.user).sort()))
      !== JSON.stringify(expected)) {
    if (Date.now() > deadline) throw new Error(`online list is ${JSON.stringify(list)}, not ${JSON.stringify(expected)}`);
    await page.waitForTimeout(50);
  }
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
try {
  const room = `fallback-${Date.now()}`;
  const started = Date.now();
  const alice = await open(browser, "alice", proxyUrl, room, /^WebSocket connection to .*\/socket\/websocket.* failed/);
  const aliceTitle = await connectedOver(alice.page);
  const remembered = await alice.page.evaluate(() => sessionStorage.getItem("phx:fallback:LongPoll"));
  log("alice signed in through the proxy", { title: aliceTitle, ms: Date.now() - started, refusedUpgrades: refusedUpgrades.length,
    longPollRequests: alice.traffic.longPoll, remembered });
  if (refusedUpgrades.length === 0) throw new Error("the page never tried a WebSocket");
  if (aliceTitle !== "connected over long-poll") throw new Error(`alice is ${aliceTitle}`);
  if (remembered !== "true") throw new Error(`sessionStorage phx:fallback:LongPoll is ${remembered}`);
  if (alice.traffic.longPoll < 2) throw new Error(`alice made ${alice.traffic.longPoll} long-poll requests`);
  log("alice fell back to long-poll");

  const bob = await open(browser, "bob", appUrl, room, null);
  const bobTitle = await connectedOver(bob.page);
  if (bobTitle !== "connected over WebSocket") throw new Error(`bob is ${bobTitle}`);
  if (bob.traffic.longPoll !== 0) throw new Error(`bob made ${bob.traffic.longPoll} long-poll requests`);
  await online(alice.page, ["alice", "bob"]);
  await online(bob.page, ["alice", "bob"]);
  log("bob is on a WebSocket and both see each other online", { title: bobTitle });

  await alice.page.fill("#body", "Hello Bob, from behind a proxy");
  await alice.page.press("#body", "Enter");
  await bob.page.waitForSelector('.message[data-user="alice"] .text:text("Hello Bob, from behind a proxy")');
  log("bob sees alice's message");

  await bob.page.fill("#body", "Hi Alice, over a WebSocket");
  await bob.page.press("#body", "Enter");
  await alice.page.waitForSelector('.message[data-user="bob"] .text:text("Hi Alice, over a WebSocket")');
  await alice.page.screenshot({ path: `${outDir}/chat-fallback-alice.png` });
  log("alice sees bob's reply");

  // The tab remembers the fallback: a reload goes to long-poll without trying the WebSocket again.
  const refusedBefore = refusedUpgrades.length;
  await alice.page.reload();
  await alice.page.waitForSelector(`.note:text("You joined #${room}")`);
  const reloadedTitle = await connectedOver(alice.page);
  if (reloadedTitle !== "connected over long-poll") throw new Error(`after the reload alice is ${reloadedTitle}`);
  await alice.page.waitForSelector('.message[data-user="bob"] .text:text("Hi Alice, over a WebSocket")'); // the history
  if (refusedUpgrades.length !== refusedBefore) throw new Error("the reloaded page tried the WebSocket again");
  log("alice's reload goes straight to long-poll", { title: reloadedTitle });

  if (problems.length) throw new Error(problems.join("; "));
  log("done", { ok: true });
} catch (e) {
  log("failed", { error: String(e.stack || e), problems });
  process.exitCode = 1;
} finally {
  await browser.close();
  proxy.closeAllConnections();
  proxy.close();
}
