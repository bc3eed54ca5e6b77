// The session's browser test page (e2e/tests/session.rs): it opens a session from the
// packed package, as an app would, and keeps a log of what happened, with times on a
// clock every tab of the browser shares (performance.timeOrigin + now). WebDriver reads
// the log and calls window.t. Query: storage, name, hold (open only when t.open() is
// called), nolocks (Web Locks deleted before the session loads), interval (ms).
import init, { openSession } from "/pkg/tvmaze_auth.js";

const query = new URLSearchParams(location.search);
const clock = () => performance.timeOrigin + performance.now();
const log = { changes: [], polls: [], warnings: [], errors: [] };

if (query.has("nolocks")) delete Navigator.prototype.locks;

// The key's arrival is when a poll's 200 reaches the page; the library calls the
// global fetch, which this passes through untouched (the request is not changed).
const realFetch = globalThis.fetch;
globalThis.fetch = async function (input, options) {
  const response = await realFetch.call(this, input, options);
  const url = input instanceof Request ? input.url : String(input);
  if (url.endsWith("/auth/poll")) log.polls.push({ at: clock(), status: response.status });
  return response;
};
// What the library warns about (one warning when storage is full), in every browser.
const realWarn = console.warn;
console.warn = (...args) => {
  log.warnings.push(args.map(String).join(" "));
  realWarn.apply(console, args);
};

let session = null;
let api = null;

function show() {
  document.getElementById("state").textContent = session ? session.state : "closed";
}

const t = {
  log,
  ready: false,
  async open() {
    await init();
    const config = await (await realFetch("/demo-config.json")).json();
    api = config.standinApiBase;
    session = openSession({ baseUrl: api, storage: query.get("storage") ?? "local", name: query.get("name") ?? undefined });
    session.addEventListener("change", (e) => {
      log.changes.push({ at: clock(), state: e.state, reason: e.reason ?? null, hasKey: session.credentials !== null });
      show();
    });
    await session.ready;
    t.ready = true;
    show();
  },
  state: () => session?.state ?? null,
  credentials: () => session?.credentials ?? null,
  pending: () => session?.pending ?? null,
  // Starts (or joins) a sign-in; its outcome goes to the log.
  signIn(email) {
    const interval = Number(query.get("interval") ?? "500");
    session.signIn(email, { emailConfirmation: false, intervalMs: interval }).then(
      (c) => log.changes.push({ at: clock(), signedIn: c.username }),
      (e) => log.errors.push({ at: clock(), code: e?.code ?? String(e) }),
    );
  },
  // The outcome of the pairing in progress (a duplicated tab, a reload), to the log.
  resume() {
    session.resume().then(
      (c) => log.changes.push({ at: clock(), signedIn: c?.username ?? null }),
      (e) => log.errors.push({ at: clock(), code: e?.code ?? String(e) }),
    );
  },
  signOut: () => session.signOut(),
  // The stand-in's helpers, on its API origin (which allows this origin by CORS).
  async decide(decision) {
    const token = session.pending.confirmUrl.split("/").pop();
    const origin = api.replace(/\/v1$/, "");
    const body = `decision=${decision}`;
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    return (await realFetch(`${origin}/_standin/decide/${token}`, { method: "POST", headers, body })).status;
  },
  async helper(method, path) {
    const response = await realFetch(api.replace(/\/v1$/, "") + path, { method });
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  },
  // session.fetch's outcome as { ok, value } or { code, status }.
  async fetch(path, init) {
    try {
      return { ok: true, value: await session.fetch(path, init) };
    } catch (e) {
      return { ok: false, code: e?.code ?? String(e), status: e?.status ?? null, message: String(e?.message) };
    }
  },
  // Fills localStorage until it refuses, so the next write fails (QuotaExceededError).
  fillStorage() {
    const chunk = "x".repeat(1024 * 1024);
    for (let i = 0; i < 100; i++) {
      try {
        localStorage.setItem(`filler-${i}`, chunk);
      } catch {
        let small = chunk;
        while (small.length > 16) {
          small = small.slice(small.length / 2);
          try {
            localStorage.setItem(`filler-${i}-${small.length}`, small);
          } catch {
            // smaller still
          }
        }
        return i;
      }
    }
    return -1;
  },
};
window.t = t;

if (!query.has("hold")) t.open().catch((e) => log.errors.push({ at: clock(), code: e?.code ?? String(e) }));
