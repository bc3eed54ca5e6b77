// The built package (pkg/, release) must not grow with use: every request creates a
// timer and, with a signal, an abort listener, and a JsFuture left pending forever keeps
// its callbacks and an externref slot alive. A body that never ends must be cut off at
// the library's cap, not read into memory. Many calls must leave both flat.
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

// A chunked 200 that goes on until the client hangs up, bounded at 1 GiB so that a
// client without a cap ends too (and then fails the test by its memory).
function endless(res) {
  res.writeHead(200, { "content-type": "application/json" });
  const chunk = Buffer.alloc(16 * 1024, "x");
  let left = 64 * 1024;
  res.write('{"padding":"');
  const pump = () => {
    while (left-- > 0 && !res.destroyed) {
      if (!res.write(chunk)) return res.once("drain", pump);
    }
    res.end();
  };
  res.on("close", () => (left = 0));
  pump();
}

// A real HTTP server on a free loopback port: validate's 200 answer, or an endless one.
async function server(t) {
  const s = http.createServer((req, res) => {
    if (req.url.startsWith("/endless/")) return endless(res);
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"premium":1}');
  });
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  t.after(() => s.close());
  return `http://127.0.0.1:${s.address().port}`;
}

const usage = () => ({ table: wasm.__wbindgen_externrefs.length, memory: wasm.memory.buffer.byteLength });

test("2000 requests leave the externref table and memory where they were", async (t) => {
  assert.ok(globalThis.gc, "run with node --expose-gc");
  const baseUrl = `${await server(t)}/v1`;
  const { signal } = new AbortController();
  const round = async (n) => {
    for (let i = 0; i < n; i++) {
      const options = i % 2 ? { baseUrl, signal } : { baseUrl };
      assert.equal((await validate("alice", "key", options)).premium, 1);
    }
  };
  await round(100); // warm up: the table and memory grow to their working size
  await settleGarbage();
  const before = usage();
  await round(2000);
  await settleGarbage();
  assert.deepEqual(usage(), before);
});

test("200 endless bodies are each cut off at the cap, and nothing grows", async (t) => {
  assert.ok(globalThis.gc, "run with node --expose-gc");
  const baseUrl = `${await server(t)}/endless/v1`;
  const round = async (n) => {
    for (let i = 0; i < n; i++) {
      await assert.rejects(validate("alice", "key", { baseUrl, timeoutMs: 10_000 }), { code: "BAD_RESPONSE" });
    }
  };
  await round(20);
  await settleGarbage();
  const before = usage();
  const rss = process.memoryUsage().rss;
  const t0 = performance.now();
  await round(200);
  const perCall = (performance.now() - t0) / 200;
  await settleGarbage();
  assert.deepEqual(usage(), before);
  // Each call reads at most the 64 KiB cap, so the process cannot have grown by more
  // than a fraction of what 200 uncapped reads (1 GiB each) would take.
  assert.ok(process.memoryUsage().rss - rss < 64 * 1024 * 1024, "rss grew by more than 64 MiB");
  assert.ok(perCall < 1000, `a capped read took ${perCall} ms`);
});
