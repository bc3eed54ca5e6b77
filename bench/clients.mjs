// The calls the benchmark times, each made three ways: by the library, by a hand-written
// plain fetch doing the same request and the same checks, and by @octokit/request (the
// request layer under @octokit/auth-oauth-device) doing the same request. Runs unchanged
// in Node and in the browser: the library and `request` are passed in.
//
// The plain fetch is the baseline a careful user would write: the same method, URL,
// headers, body and fetch options (credentials "omit", no referrer, redirects not
// followed), the status mapped to the same error codes, the body read and JSON.parse'd,
// the same fields checked. It has no per-request timeout and no body cap, which the
// library adds; so the ratios charge the library for those too.

const CODES = {
  start: { 401: "EMAIL_NOT_CONFIRMED", 404: "EMAIL_NOT_FOUND" },
  poll: { 404: "TOKEN_NOT_FOUND" },
  validate: { 401: "INVALID_CREDENTIALS" },
};
const LEVELS = ["none", "bronze", "silver", "gold"];
const EMAIL = "alice@example.com";
const MISSING = "nobody@example.com";
const USER = "alice";
const KEY = "vxR30xS70N_VIpe0b31bO56OCXbcHr-A";

function failure(endpoint, status) {
  const code =
    CODES[endpoint][status] ??
    (status === 429 ? "RATE_LIMITED" : status >= 500 && status < 600 ? "SERVER_ERROR" : "BAD_RESPONSE");
  const e = new Error(code);
  e.name = "TvmazeAuthError";
  e.code = code;
  e.status = status;
  return e;
}
const nonEmpty = (v) => typeof v === "string" && v !== "";
function started(b, base) {
  const url = b?.confirm_url;
  if (!nonEmpty(b?.token) || !nonEmpty(url) || !(url.startsWith("https://") || (base.startsWith("http://127.") && url.startsWith("http://127."))))
    throw failure("start", 0);
  return { token: b.token, confirmUrl: url };
}
function confirmed(b) {
  if (!nonEmpty(b?.apikey) || !nonEmpty(b?.username)) throw failure("poll", 0);
  return { status: "confirmed", apiKey: b.apikey, username: b.username };
}
function premium(b) {
  const p = b?.premium;
  if (p !== 0 && p !== 1 && p !== 2 && p !== 3) throw failure("validate", 0);
  return { premium: p, level: LEVELS[p] };
}
const codeOf = (e) => {
  if (typeof e?.code === "string") return e.code;
  throw e;
};

/** The cases: name → { library, fetch, request, shaped, octokit }, each a function making one call. */
export function clients({ lib, request, baseUrl }) {
  const options = { credentials: "omit", referrerPolicy: "no-referrer", redirect: "manual" };
  const basic = `Basic ${btoa(`${USER}:${KEY}`)}`;

  // The plain fetch, sending through `send`: `fetch(url, init)` for the plain fetch, and
  // `fetch(new Request(url, init))` for the fetch of a Request, which is how gloo-net
  // sends every request (its `Request::send` passes a `web_sys::Request` to fetch).
  const plain = (send) => {
    const post = (path, body) => send(baseUrl + path, { ...options, method: "POST", headers: { "Content-Type": "application/json" }, body });
    return {
      start: async (email) => {
        if (!/^[^@]+@[^@]+$/.test(email)) throw failure("start", 0);
        const res = await post("/auth/start", JSON.stringify({ email, email_confirmation: false }));
        if (res.status !== 200) throw failure("start", res.status);
        return started(JSON.parse(await res.text()), baseUrl);
      },
      poll: async (token) => {
        if (!nonEmpty(token)) throw failure("poll", 0);
        const res = await post("/auth/poll", JSON.stringify({ token }));
        if (res.status === 403) return { status: "pending" };
        if (res.status !== 200) throw failure("poll", res.status);
        return confirmed(JSON.parse(await res.text()));
      },
      validate: async () => {
        const res = await send(baseUrl + "/auth/validate", { ...options, headers: { Authorization: basic } });
        if (res.status !== 200) throw failure("validate", res.status);
        return premium(JSON.parse(await res.text()));
      },
    };
  };
  const direct = plain((url, init) => fetch(url, init));
  const viaRequest = plain((url, init) => fetch(new Request(url, init)));

  // The plain fetch again, shaped the way the library is made: its own AbortController
  // (for the timeout and to abort an answer not read to its end), a Request built first
  // and passed to fetch (as gloo-net sends it), a 30 s timer set and cleared, an unneeded
  // answer left unread when its Content-Length is at most 4 KiB (aborted otherwise),
  // and the body read as a stream, stopping at the Content-Length when the body is not
  // content-coded and the answer is not cross-origin, then decoded strictly. What the
  // library costs beyond this is its wasm, glue and Rust closures, not the shape of
  // the exchange.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const shaped = async (path, init, endpoint, decode) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(true), 30_000);
    let arrived = false;
    try {
      const res = await fetch(new Request(baseUrl + path, { ...options, ...init, signal: controller.signal }));
      const declared = Number(res.headers.get("content-length") ?? NaN);
      if (res.status !== 200) {
        arrived = declared <= 4096;
        if (endpoint === "poll" && res.status === 403) return { status: "pending" };
        throw failure(endpoint, res.status);
      }
      const exact = res.headers.get("content-encoding") === null && res.type !== "cors" ? declared : NaN;
      const reader = res.body.getReader();
      const chunks = [];
      let length = 0;
      for (let n = 0; n < 1000 && length !== exact; n++) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        length += value.length;
      }
      const bytes = chunks.length === 1 ? chunks[0] : new Uint8Array(await new Blob(chunks).arrayBuffer());
      arrived = true;
      return decode(JSON.parse(decoder.decode(bytes)));
    } finally {
      clearTimeout(timer);
      if (!arrived) controller.abort(true);
    }
  };
  const json = { method: "POST", headers: { "Content-Type": "application/json" } };
  const shapedStart = (email) => {
    if (!/^[^@]+@[^@]+$/.test(email)) throw failure("start", 0);
    return shaped("/auth/start", { ...json, body: JSON.stringify({ email, email_confirmation: false }) }, "start", (b) => started(b, baseUrl));
  };
  const shapedPoll = (token) => shaped("/auth/poll", { ...json, body: JSON.stringify({ token }) }, "poll", confirmed);
  const shapedValidate = () => shaped("/auth/validate", { headers: { Authorization: basic } }, "validate", premium);

  // Octokit: JSON bodies from the route's parameters, JSON answers parsed by content
  // type, a RequestError (with .status) for every status >= 400.
  const o = { baseUrl, request: { redirect: "manual" } };
  const octoFail = (endpoint, e) => {
    if (typeof e?.status === "number" && e.status >= 400) throw failure(endpoint, e.status);
    throw e;
  };
  const octoStart = async (email) => {
    if (!/^[^@]+@[^@]+$/.test(email)) throw failure("start", 0);
    const res = await request("POST /auth/start", { ...o, email, email_confirmation: false }).catch((e) => octoFail("start", e));
    return started(res.data, baseUrl);
  };
  const octoPoll = async (token) => {
    try {
      return confirmed((await request("POST /auth/poll", { ...o, token })).data);
    } catch (e) {
      if (e?.status === 403) return { status: "pending" };
      octoFail("poll", e);
    }
  };
  const octoValidate = async () =>
    premium((await request("GET /auth/validate", { ...o, headers: { authorization: basic } }).catch((e) => octoFail("validate", e))).data);

  const opts = { baseUrl };
  return {
    "startAuth": {
      library: () => lib.startAuth(EMAIL, { baseUrl, emailConfirmation: false }),
      fetch: () => direct.start(EMAIL),
      request: () => viaRequest.start(EMAIL),
      shaped: () => shapedStart(EMAIL),
      octokit: () => octoStart(EMAIL),
    },
    "pollAuth (pending)": {
      library: () => lib.pollAuth("pending", opts),
      fetch: () => direct.poll("pending"),
      request: () => viaRequest.poll("pending"),
      shaped: () => shapedPoll("pending"),
      octokit: () => octoPoll("pending"),
    },
    "pollAuth (confirmed)": {
      library: () => lib.pollAuth("confirmed", opts),
      fetch: () => direct.poll("confirmed"),
      request: () => viaRequest.poll("confirmed"),
      shaped: () => shapedPoll("confirmed"),
      octokit: () => octoPoll("confirmed"),
    },
    "validate": {
      library: () => lib.validate(USER, KEY, opts),
      fetch: () => direct.validate(),
      request: () => viaRequest.validate(),
      shaped: () => shapedValidate(),
      octokit: () => octoValidate(),
    },
    "error (404)": {
      library: () => lib.startAuth(MISSING, { baseUrl, emailConfirmation: false }).then(() => "resolved", codeOf),
      fetch: () => direct.start(MISSING).then(() => "resolved", codeOf),
      request: () => viaRequest.start(MISSING).then(() => "resolved", codeOf),
      shaped: () => Promise.resolve().then(() => shapedStart(MISSING)).then(() => "resolved", codeOf),
      octokit: () => octoStart(MISSING).then(() => "resolved", codeOf),
    },
  };
}

/** What each case must give, checked on every client before and after timing. */
export const EXPECTED = {
  "startAuth": (r) => r?.token === "t0k3nt0k3nt0k3nt0k3nt0k3nt0k3n0" && r.confirmUrl.endsWith("/confirm/t0k3nt0k3nt0k3nt0k3nt0k3nt0k3n0"),
  "pollAuth (pending)": (r) => r?.status === "pending",
  "pollAuth (confirmed)": (r) => r?.status === "confirmed" && r.apiKey === KEY && r.username === USER,
  "validate": (r) => r?.premium === 2 && r.level === "silver",
  "error (404)": (r) => r === "EMAIL_NOT_FOUND",
};
