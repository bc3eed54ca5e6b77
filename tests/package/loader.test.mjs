// The packed browser entry's loader (npm/lazy.js), in Node against a local HTTP server
// that serves the .wasm and counts the requests for it: importing fetches nothing,
// isTvmazeAuthError answers before the load and as the wasm's own does, calls made
// meanwhile share one load, a failed load is retried by the next call, an abort during
// the load rejects at once. Each test imports its own copy of the module (a query
// string), so each starts unloaded. The browsers' side is tests/consumers/.
// Run: node --expose-gc --test tests/package/   (after scripts/pack.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const entry = new URL("../../target/npm/package/tvmaze_auth.js", import.meta.url);
const wasmBytes = readFileSync(new URL("tvmaze_auth_bg.wasm", entry));
let copies = 0;
const fresh = () => import(`${entry}?copy=${++copies}`);

/** Serves the .wasm at /ok.wasm, 404 at /missing.wasm, and /slow.wasm after `release()`. */
async function wasmServer(t) {
  const counts = {};
  let release;
  const released = new Promise((resolve) => (release = resolve));
  const server = createServer(async (req, res) => {
    counts[req.url] = (counts[req.url] ?? 0) + 1;
    if (req.url === "/missing.wasm") return res.writeHead(404).end();
    if (req.url === "/slow.wasm") await released;
    res.writeHead(200, { "content-type": "application/wasm" }).end(wasmBytes);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => server.close());
  return { url: (path) => `http://127.0.0.1:${server.address().port}${path}`, counts, release };
}

test("isTvmazeAuthError answers before the load, as the wasm's own does", { timeout: 10_000 }, async () => {
  const lib = await fresh();
  const wasm = await import(`${new URL("../../pkg/tvmaze_auth.js", import.meta.url)}`);
  wasm.initSync({ module: wasmBytes });
  const ours = (code) => Object.assign(new Error("x"), { name: "TvmazeAuthError", code });
  const throwing = Object.defineProperty(new Error("x"), "name", {
    get: () => {
      throw new Error("getter");
    },
  });
  const values = [
    ours("NETWORK"),
    ours(1),
    new Error("x"),
    { name: "TvmazeAuthError", code: "NETWORK" },
    null,
    undefined,
    "TvmazeAuthError",
    throwing,
  ];
  for (const value of values)
    assert.equal(lib.isTvmazeAuthError(value), wasm.isTvmazeAuthError(value), String(value?.code));
});

test("calls made while it loads share one load; later ones need none", { timeout: 10_000 }, async (t) => {
  const server = await wasmServer(t);
  const lib = await fresh();
  assert.deepEqual(server.counts, {}, "importing fetched something");
  const preload = lib.default({ module_or_path: server.url("/slow.wasm") });
  const calls = [lib.startAuth("", {}), lib.pollAuth(""), lib.validate("", "")].map((p) =>
    p.then(
      () => null,
      (e) => e.code,
    ),
  );
  server.release();
  await preload;
  assert.deepEqual(await Promise.all(calls), ["INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT"]);
  await lib.default({ module_or_path: server.url("/ok.wasm") });
  assert.deepEqual(server.counts, { "/slow.wasm": 1 });
});

test("a failed load is LOAD_FAILED naming the fix, and the next call tries again", { timeout: 10_000 }, async (t) => {
  const server = await wasmServer(t);
  const lib = await fresh();
  const failed = await lib.default({ module_or_path: server.url("/missing.wasm") }).catch((e) => e);
  assert.ok(lib.isTvmazeAuthError(failed), `${failed}`);
  assert.equal(failed.code, "LOAD_FAILED");
  assert.match(failed.message, /missing\.wasm answered HTTP 404\. Copy tvmaze-auth\/tvmaze_auth_bg\.wasm there/);
  assert.match(failed.message, /init\(\{ module_or_path \}\)/);
  await lib.default({ module_or_path: server.url("/ok.wasm") });
  assert.equal(await lib.startAuth("").catch((e) => e.code), "INVALID_ARGUMENT");
  assert.deepEqual(server.counts, { "/missing.wasm": 1, "/ok.wasm": 1 });
});

test("an abort while the module loads rejects at once with the signal's reason", { timeout: 10_000 }, async (t) => {
  const server = await wasmServer(t);
  const lib = await fresh();
  const loading = lib.default({ module_or_path: server.url("/slow.wasm") });
  const controller = new AbortController();
  const call = lib.startAuth("alice@example.com", { signal: controller.signal });
  const reason = new Error("the user cancelled");
  controller.abort(reason);
  assert.equal(await call.catch((e) => e), reason);
  // Already aborted: the same, without waiting for the load.
  assert.equal(await lib.pollAuth("t", { signal: AbortSignal.abort(reason) }).catch((e) => e), reason);
  server.release();
  await loading;
});
