// Wasm memory and the externref table must stay flat under use: after a warm-up, 10,000
// calls cycling through every function and every way a call ends (answers, each error
// code, timeouts, aborts, refused and dropped connections, capped bodies, invalid
// arguments), a session's included (every kind of step of its core, every way a signed
// request ends), may grow wasm memory by at most one 64 KiB page, and must leave no
// externref slot behind, or a long-lived page would grow with every sign-in.
// Run: node --expose-gc --test tests/package/   (after wasm-pack build --release --target web)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import init, * as lib from "../../pkg/tvmaze_auth.js";
import { kinds, mixedServer, sessionKinds, settleGarbage, usage } from "./mixed-calls.mjs";

const wasm = await init({ module_or_path: readFileSync(new URL("../../pkg/tvmaze_auth_bg.wasm", import.meta.url)) });

async function run(all, n) {
  for (let i = 0; i < n; i++) {
    const { call, ok, name } = all[i % all.length];
    const out = await call().catch((e) => e);
    assert.ok(ok(out), `${name} ended wrongly: ${out?.code ?? out?.message ?? JSON.stringify(out)}`);
  }
}

test("10,000 mixed calls grow wasm memory by at most 64 KiB and leave the externref table flat", async (t) => {
  assert.ok(globalThis.gc, "run with node --expose-gc");
  const server = await mixedServer();
  t.after(() => server.close());
  const all = [...kinds(lib, server.url), ...sessionKinds(lib, server.url)];
  await run(all, 1000); // warm-up: the table and memory grow to their working size
  await settleGarbage();
  const before = usage(wasm);
  await run(all, 10_000);
  await settleGarbage();
  const after = usage(wasm);
  assert.ok(after.memoryBytes - before.memoryBytes <= 64 * 1024, `wasm memory grew ${before.memoryBytes} → ${after.memoryBytes}`);
  assert.equal(after.externrefSlots, before.externrefSlots, "externref table grew");
});
