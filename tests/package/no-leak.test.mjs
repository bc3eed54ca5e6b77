// The built package (pkg/, release) must not grow with use: every request creates a
// timer and, with a signal, an abort listener, and a JsFuture left pending forever keeps
// its callbacks and an externref slot alive. 2000 calls must leave both flat.
// Run: node --expose-gc --test tests/package/   (after wasm-pack build --release --target web)
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFileSync } from "node:fs";
import init, { validate } from "../../pkg/tvmaze_auth.js";

const wasm = await init({ module_or_path: readFileSync(new URL("../../pkg/tvmaze_auth_bg.wasm", import.meta.url)) });

async function settleGarbage() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("2000 requests leave the externref table and memory where they were", async (t) => {
  assert.ok(globalThis.gc, "run with node --expose-gc");
  // A real HTTP server on a free loopback port: validate's 200 answer.
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"premium":1}');
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const baseUrl = `http://127.0.0.1:${server.address().port}/v1`;
  const { signal } = new AbortController();
  const round = async (n) => {
    for (let i = 0; i < n; i++) {
      const options = i % 2 ? { baseUrl, signal } : { baseUrl };
      assert.equal((await validate("alice", "key", options)).premium, 1);
    }
  };
  await round(100); // warm up: the table and memory grow to their working size
  await settleGarbage();
  const before = { table: wasm.__wbindgen_externrefs.length, memory: wasm.memory.buffer.byteLength };
  await round(2000);
  await settleGarbage();
  const after = { table: wasm.__wbindgen_externrefs.length, memory: wasm.memory.buffer.byteLength };
  assert.deepEqual(after, before);
});
