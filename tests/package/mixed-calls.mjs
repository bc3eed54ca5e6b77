// Every function and every way a call can end, against a local server: the workload of
// the memory test beside it and of the benchmark's memory figure (bench/node.mjs).
// Not a test file itself (node --test picks up *.test.mjs only).
import http from "node:http";
import net from "node:net";
import zlib from "node:zlib";

const KEY = "vxR30xS70N_VIpe0b31bO56OCXbcHr-A";

// The first path segment picks the answer; the rest is the API path.
function answer(req, res, body, as) {
  const [, urlMode, , ...rest] = req.url.split("/");
  const mode = as ?? urlMode;
  const path = `/${rest.join("/")}`;
  const send = (status, text, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  switch (mode) {
    case "ok":
      if (path === "/auth/start") return send(200, `{"token":"tok","confirm_url":"http://127.0.0.1/confirm/tok"}`);
      if (path === "/auth/validate") return send(200, '{"premium":3}');
      if (body.includes('"pending"')) return send(403, '{"name":"Forbidden"}');
      if (body.includes('"confirmed"')) return send(200, `{"apikey":"${KEY}","username":"alice"}`);
      return send(404, '{"name":"Not Found"}');
    case "pairing": // a session's sign-in (the token is confirmed already), then its user API
      if (path === "/auth/start") return send(200, `{"token":"confirmed","confirm_url":"http://127.0.0.1/confirm/c"}`);
      if (path.startsWith("/user/revoked")) return send(401, "{}"); // the user reset the key
      return answer(req, res, body, path.startsWith("/user/") ? "user" : "ok");
    case "user": // the user API: a list, an item, or (DELETE) no body at all
      if (req.method === "DELETE") return send(200, "");
      if (path.startsWith("/user/follows/shows/")) return send(200, `{"show_id":${Number(path.split("/").pop()) || 0}}`);
      return send(200, '[{"show_id":1},{"show_id":82}]');
    case "status":
      return send(Number(rest.length && req.headers["x-status"]) || 404, "{}");
    case "s401":
      return send(401, "{}");
    case "s404":
      return send(404, "{}");
    case "s429":
      return send(429, "{}", { "retry-after": "7" });
    case "s500":
      return send(500, "{}");
    case "s302":
      res.writeHead(302, { location: "/ok/v1/auth/validate", "content-length": 0 });
      return res.end();
    case "notjson":
      return send(200, "<html>");
    case "nofields":
      return send(200, '{"premium":"2","token":""}');
    case "notutf8":
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    case "declared": // a Content-Length over the 64 KiB cap: refused before reading
      res.writeHead(200, { "content-type": "application/json", "content-length": 70_000 });
      return res.end(Buffer.alloc(70_000, 0x20));
    case "chunked": // no length, 80 KiB: cut off at the cap while streaming
      res.writeHead(200, { "content-type": "application/json" });
      for (let i = 0; i < 5; i++) res.write(Buffer.alloc(16 * 1024, 0x20));
      return res.end();
    case "lone": // a lone surrogate escaped in JSON: the key would not work
      return send(200, '{"apikey":"\\ud800","username":"alice"}');
    case "long403": // pending, with a body over the 4 KiB left unread: aborted
      return send(403, JSON.stringify({ name: "Forbidden", pad: " ".repeat(8 * 1024) }));
    case "chunked403": // pending, with no Content-Length: aborted
      res.writeHead(403, { "content-type": "application/json" });
      res.write('{"name":');
      return res.end('"Forbidden"}');
    case "gzip": { // content-coded: read to its end, not to its Content-Length
      const coded = zlib.gzipSync(`{"premium":3}${" ".repeat(2048)}`);
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": coded.length });
      return res.end(coded);
    }
    case "drop":
      return req.socket.destroy();
    case "hang": // answers only when the client gives up
      return;
  }
  send(404, "{}");
}

/** A loopback server for the calls below; close() ends it and its connections. */
export async function mixedServer() {
  const s = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => answer(req, res, Buffer.concat(chunks).toString()));
  });
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  // A port that refuses connections: bound, then closed.
  const closed = net.createServer();
  await new Promise((r) => closed.listen(0, "127.0.0.1", r));
  const refusedPort = closed.address().port;
  await new Promise((r) => closed.close(r));
  return {
    url: { origin: `http://127.0.0.1:${s.address().port}`, refused: `http://127.0.0.1:${refusedPort}/v1` },
    close: () => new Promise((r) => (s.closeAllConnections(), s.close(r))),
  };
}

/** Every call kind: { name, call, ok }, `ok` checking the result or the error it must give. */
export function kinds(lib, { origin, refused }) {
  const at = (mode) => ({ baseUrl: `${origin}/${mode}/v1` });
  const pre = new AbortController();
  pre.abort(new Error("pre-aborted"));
  const abortSoon = () => {
    const c = new AbortController();
    setTimeout(() => c.abort(new Error("aborted")), 1);
    return c.signal;
  };
  const longSignal = new AbortController().signal; // one signal shared by many calls
  const code = (c) => (e) => e?.code === c;
  const reason = (m) => (e) => e?.message === m && e.code === undefined;
  const { startAuth: start, pollAuth: poll, validate, waitForConfirmation: wait } = lib;
  return [
    { name: "start", call: () => start("a@b.example", { ...at("ok"), emailConfirmation: false }), ok: (r) => r.token === "tok" },
    { name: "start+signal", call: () => start("a@b.example", { ...at("ok"), signal: longSignal }), ok: (r) => r.token === "tok" },
    { name: "poll pending", call: () => poll("pending", at("ok")), ok: (r) => r.status === "pending" },
    { name: "poll confirmed+signal", call: () => poll("confirmed", { ...at("ok"), signal: longSignal }), ok: (r) => r.apiKey === KEY },
    { name: "poll 404", call: () => poll("gone", at("ok")), ok: code("TOKEN_NOT_FOUND") },
    { name: "validate", call: () => validate("alice", KEY, at("ok")), ok: (r) => r.level === "gold" },
    { name: "validate+signal", call: () => validate("alice", KEY, { ...at("ok"), signal: longSignal }), ok: (r) => r.premium === 3 },
    { name: "wait confirmed", call: () => wait("confirmed", { ...at("ok"), intervalMs: 0 }), ok: (r) => r.username === "alice" },
    { name: "wait deadline", call: () => wait("pending", { ...at("ok"), intervalMs: 0, deadlineMs: 0 }), ok: code("DEADLINE") },
    { name: "wait 404+onPoll", call: () => wait("gone", { ...at("ok"), intervalMs: 0, onPoll() {} }), ok: code("TOKEN_NOT_FOUND") },
    { name: "wait, throwing onPoll", call: () => wait("pending", { ...at("ok"), intervalMs: 0, deadlineMs: 3, onPoll() { throw new Error("onPoll"); } }), ok: code("DEADLINE") },
    { name: "wait 500 retried", call: () => wait("x", { ...at("s500"), intervalMs: 0, maxTransientErrors: 1 }), ok: code("SERVER_ERROR") },
    { name: "start 401", call: () => start("a@b.example", at("s401")), ok: code("EMAIL_NOT_CONFIRMED") },
    { name: "start 404", call: () => start("a@b.example", at("s404")), ok: code("EMAIL_NOT_FOUND") },
    { name: "validate 401", call: () => validate("alice", KEY, at("s401")), ok: code("INVALID_CREDENTIALS") },
    { name: "poll 429", call: () => poll("t", at("s429")), ok: (e) => e?.code === "RATE_LIMITED" && e.retryAfterMs === 7000 },
    { name: "validate 500", call: () => validate("alice", KEY, at("s500")), ok: code("SERVER_ERROR") },
    { name: "redirect", call: () => start("a@b.example", at("s302")), ok: code("BAD_RESPONSE") },
    { name: "notjson", call: () => start("a@b.example", at("notjson")), ok: code("BAD_RESPONSE") },
    { name: "nofields", call: () => validate("alice", KEY, at("nofields")), ok: code("BAD_RESPONSE") },
    { name: "notutf8", call: () => poll("t", at("notutf8")), ok: code("BAD_RESPONSE") },
    { name: "declared-too-large", call: () => validate("alice", KEY, at("declared")), ok: code("BAD_RESPONSE") },
    { name: "chunked-too-large", call: () => start("a@b.example", at("chunked")), ok: code("BAD_RESPONSE") },
    { name: "lone surrogate", call: () => poll("confirmed", at("lone")), ok: code("BAD_RESPONSE") },
    { name: "poll pending, long body", call: () => poll("pending", at("long403")), ok: (r) => r.status === "pending" },
    { name: "poll pending, unframed body", call: () => poll("pending", at("chunked403")), ok: (r) => r.status === "pending" },
    { name: "gzip body", call: () => validate("alice", KEY, at("gzip")), ok: (r) => r.premium === 3 },
    { name: "fake signal", call: () => validate("alice", KEY, { ...at("ok"), signal: Object.create(AbortSignal.prototype) }), ok: code("INVALID_ARGUMENT") },
    { name: "dropped", call: () => validate("alice", KEY, at("drop")), ok: code("NETWORK") },
    { name: "refused", call: () => start("a@b.example", { baseUrl: refused }), ok: code("NETWORK") },
    { name: "timeout", call: () => validate("alice", KEY, { ...at("hang"), timeoutMs: 5 }), ok: code("TIMEOUT") },
    { name: "abort mid-flight", call: () => start("a@b.example", { ...at("hang"), signal: abortSoon() }), ok: reason("aborted") },
    { name: "poll pre-aborted", call: () => poll("t", { ...at("ok"), signal: pre.signal }), ok: reason("pre-aborted") },
    { name: "wait pre-aborted", call: () => wait("pending", { ...at("ok"), signal: pre.signal }), ok: reason("pre-aborted") },
    { name: "blank email", call: () => start(" ", at("ok")), ok: code("INVALID_ARGUMENT") },
    { name: "non-loopback http", call: () => validate("alice", KEY, { baseUrl: "http://example.com/v1" }), ok: code("INVALID_ARGUMENT") },
    { name: "bad timeoutMs", call: () => poll("t", { ...at("ok"), timeoutMs: "soon" }), ok: code("INVALID_ARGUMENT") },
    { name: "bad-port", call: () => poll("t", { baseUrl: "http://127.0.0.1:99999/v1" }), ok: code("INVALID_ARGUMENT") },
    { name: "throwing-getter", call: () => poll("t", { get baseUrl() { throw new Error("getter"); } }), ok: code("INVALID_ARGUMENT") },
  ];
}

/** `n` calls, cycling through every kind, one at a time; throws on a wrong outcome. */
export async function mixedCalls(lib, url, n) {
  const all = kinds(lib, url);
  for (let i = 0; i < n; i++) {
    const { name, call, ok } = all[i % all.length];
    const out = await call().catch((e) => e);
    if (!ok(out)) throw new Error(`${name} ended wrongly: ${out?.code ?? out?.message ?? JSON.stringify(out)}`);
  }
}

/** Lets finalizers and pending timers run, so that what is left is what is kept. */
export async function settleGarbage() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The wasm instance's memory in bytes and its externref table in slots. */
export const usage = (wasm) => ({ memoryBytes: wasm.memory.buffer.byteLength, externrefSlots: wasm.__wbindgen_externrefs.length });

/**
 * The calls a session makes (npm/session.js): every kind of step of its core and every
 * way a signed request ends, so the memory test covers them too.
 */
export function sessionKinds(lib, { origin }) {
  const { __sessionStep: step, __userRequest: request } = lib;
  const at = (mode) => ({ baseUrl: `${origin}/${mode}/v1` });
  const now = Date.now();
  const pending = JSON.stringify({
    v: 1, state: "pending", email: "a@b.example", token: "tok", confirmUrl: "http://127.0.0.1/confirm/tok",
    startedAt: now, deadlineAt: now + 900_000, intervalMs: 0, paceMs: 0, nextPollAt: 0, polls: 0, transient: 0, poller: "a",
  });
  const withKey = pending.replace("}", ',"username":"alice","apiKey":"' + KEY + '"}');
  const signedIn = JSON.stringify({ v: 1, state: "signed-in", username: "alice", apiKey: KEY, level: "gold" });
  const error = (code, extra = {}) => Object.assign(new Error(code), { name: "TvmazeAuthError", code, ...extra });
  const code = (c) => (e) => e?.code === c;
  const ok = (pred) => (out) => out?.record !== undefined && pred(out);
  const pre = new AbortController();
  pre.abort(new Error("pre-aborted"));
  const o = at("ok");
  return [
    { name: "step open corrupt", call: () => step(null, { type: "open", value: "{not json" }, o), ok: ok((s) => s.state === "signed-out") },
    { name: "step open oversized", call: () => step(null, { type: "open", value: "x".repeat(20_000) }, o), ok: ok((s) => s.state === "signed-out") },
    { name: "step open pending", call: () => step(null, { type: "open", value: pending }, o), ok: ok((s) => s.state === "pending" && s.token === "tok") },
    { name: "step sign-in", call: () => step(null, { type: "signIn", email: "a@b.example", ...o }, o), ok: ok((s) => s.next.do === "start") },
    { name: "step sign-in bad email", call: () => step(null, { type: "signIn", email: "nobody" }, o), ok: ok((s) => s.error?.code === "INVALID_ARGUMENT") },
    { name: "step started", call: () => step(null, { type: "started", email: "a@b.example", token: "tok", confirmUrl: "http://127.0.0.1/confirm/tok", me: "a", intervalMs: 0 }, o), ok: ok((s) => s.change?.state === "pending") },
    { name: "step tick poll", call: () => step(pending, { type: "tick", token: "tok", me: "a", exclusive: true }, o), ok: ok((s) => s.next.do === "poll") },
    { name: "step tick leased", call: () => step(pending.replace('"nextPollAt":0', `"nextPollAt":${now + 60_000}`), { type: "tick", token: "tok", me: "b", exclusive: false }, o), ok: ok((s) => s.next.do === "wait") },
    { name: "step polled pending", call: () => step(pending, { type: "polled", token: "tok", sent: pending, result: { status: "pending" } }, o), ok: ok((s) => s.progress?.attempt === 1) },
    { name: "step polled key", call: () => step(pending, { type: "polled", token: "tok", sent: pending, result: { status: "confirmed", username: "alice", apiKey: KEY } }, o), ok: ok((s) => s.next.do === "validate") },
    { name: "step polled 404", call: () => step(pending, { type: "polled", token: "tok", error: error("TOKEN_NOT_FOUND", { status: 404 }) }, o), ok: ok((s) => s.error?.code === "TOKEN_NOT_FOUND") },
    { name: "step polled 429", call: () => step(pending, { type: "polled", token: "tok", error: error("RATE_LIMITED", { status: 429, retryAfterMs: 7000 }) }, o), ok: ok((s) => s.persist) },
    { name: "step validated", call: () => step(withKey, { type: "validated", apiKey: KEY, result: { level: "gold" } }, o), ok: ok((s) => s.change?.state === "signed-in") },
    { name: "step validated 401", call: () => step(withKey, { type: "validated", apiKey: KEY, error: error("INVALID_CREDENTIALS") }, o), ok: ok((s) => s.change?.reason === "revoked") },
    { name: "step seen message", call: () => step(null, { type: "seen", value: signedIn, message: true }, o), ok: ok((s) => s.persist && s.credentials?.level === "gold") },
    { name: "step sign-out", call: () => step(signedIn, { type: "signOut" }, o), ok: ok((s) => s.change?.reason === "user") },
    { name: "step cancel", call: () => step(pending, { type: "cancel", token: "tok" }, o), ok: ok((s) => s.error?.code === "SIGNED_OUT") },
    { name: "step 401 elsewhere", call: () => step(signedIn, { type: "unauthorized", apiKey: KEY }, o), ok: ok((s) => s.state === "signed-out") },
    { name: "step unknown event", call: () => step(null, { type: "nope" }, o), ok: code("INVALID_ARGUMENT") },
    { name: "step bad baseUrl", call: () => step(null, { type: "signOut" }, { baseUrl: "http://example.com/v1" }), ok: code("INVALID_ARGUMENT") },
    { name: "fetch list", call: () => request("alice", KEY, "/user/follows/shows", at("user")), ok: (r) => Array.isArray(r) && r[1].show_id === 82 },
    { name: "fetch put", call: () => request("alice", KEY, "/user/follows/shows/82", { ...at("user"), method: "PUT", json: "{}" }), ok: (r) => r.show_id === 82 },
    { name: "fetch delete", call: () => request("alice", KEY, "/user/follows/shows/82", { ...at("user"), method: "DELETE" }), ok: (r) => r === null },
    { name: "fetch 401", call: () => request("alice", KEY, "/user/follows/shows", at("s401")), ok: code("INVALID_CREDENTIALS") },
    { name: "fetch 404", call: () => request("alice", KEY, "/user/follows/shows/1", at("s404")), ok: (e) => e?.code === "REQUEST_REFUSED" && e.status === 404 },
    { name: "fetch 429", call: () => request("alice", KEY, "/user/follows/shows", at("s429")), ok: code("RATE_LIMITED") },
    { name: "fetch not json", call: () => request("alice", KEY, "/user/follows/shows", at("notjson")), ok: code("BAD_RESPONSE") },
    { name: "fetch signed out", call: () => request(null, null, "/user/follows/shows", at("user")), ok: code("SIGNED_OUT") },
    { name: "fetch bad path", call: () => request("alice", KEY, "/user/../auth/poll", at("user")), ok: code("INVALID_ARGUMENT") },
    { name: "fetch timeout", call: () => request("alice", KEY, "/user/x", { ...at("hang"), timeoutMs: 5 }), ok: code("TIMEOUT") },
    { name: "fetch pre-aborted", call: () => request("alice", KEY, "/user/x", { ...at("user"), signal: pre.signal }), ok: (e) => e?.message === "pre-aborted" },
  ];
}
