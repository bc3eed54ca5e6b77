// A flood of concurrent calls must never take the process down. Node 20 and 22 abort
// (V8's "unreachable code" in Deoptimizer::DoComputeBuiltinContinuation, exit 133) when
// optimized JS that inlined a call to a wasm export returning one externref is
// deoptimized while that call runs, which a loop of thousands of calls makes happen;
// so no export returns one (src/client.rs, docs/reliability.md). The flood below
// aborted the process before that, and must now settle every call, the refused ones
// (open-file limit reached) as NETWORK.
// Run: node --test tests/package/   (after scripts/pack.sh: it uses the packed Node entry)
// FLOOD_CALLS=25000 makes the flood bigger (docs/reliability.md quotes such runs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const pkg = new URL("../../target/npm/package/", import.meta.url);
const CALLS = Number(process.env.FLOOD_CALLS ?? 15_000);
const OPEN_FILES = 1024;

// The result types of each exported function of a wasm binary, by export name, read from
// its type, import, function and export sections. Value types are single bytes in what
// wasm-bindgen emits; 0x6f is externref.
function exportResults(bytes) {
  let at = 8;
  const u32 = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) return value >>> 0;
    }
  };
  // `at += u32()` would read `at` before u32() moves it past the length.
  const skip = (n) => (at += n);
  const skipName = () => skip(u32());
  const limits = () => (bytes[at++] & 1 ? (u32(), u32()) : u32());
  const types = [];
  const funcs = [];
  const results = {};
  while (at < bytes.length) {
    const id = bytes[at++];
    const end = u32() + at;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        at++; // 0x60, a function type
        skip(u32()); // parameters
        const count = u32();
        types.push([...bytes.subarray(at, (at += count))]);
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        skipName();
        skipName();
        const kind = bytes[at++];
        if (kind === 0) funcs.push(types[u32()]);
        else if (kind === 1) skip(1) && limits(); // table: element type, limits
        else if (kind === 2) limits(); // memory
        else if (kind === 3) skip(2); // global: value type, mutability
        else skip(1) && u32(); // tag: attribute, type
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) funcs.push(types[u32()]);
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const length = u32();
        const name = new TextDecoder().decode(bytes.subarray(at, (at += length)));
        const kind = bytes[at++];
        const index = u32();
        if (kind === 0) results[name] = funcs[index];
      }
    }
    at = end;
  }
  return results;
}

test("no wasm export returns a bare externref (what Node 20 and 22 abort on)", () => {
  const results = exportResults(readFileSync(new URL("tvmaze_auth_bg.wasm", pkg)));
  assert.ok(results.startAuth, `startAuth not among the exports read: ${Object.keys(results)}`);
  const bare = Object.keys(results).filter((name) => results[name].length === 1 && results[name][0] === 0x6f);
  assert.deepEqual(bare, []);
});

// startAuth's answer, to every request, on a free loopback port.
async function startServer(t) {
  const answer = '{"token":"tok","confirm_url":"http://127.0.0.1/confirm/tok"}';
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": answer.length });
      res.end(answer);
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${server.address().port}/v1`;
}

test(`${CALLS} concurrent startAuth calls with ${OPEN_FILES} open files: no abort, every call settles`, { timeout: 150_000 }, async (t) => {
  const baseUrl = await startServer(t);
  const entry = fileURLToPath(new URL("node.mjs", pkg));
  const script = fileURLToPath(new URL("flood-calls.mjs", import.meta.url));
  const child = spawn(
    "bash",
    ["-c", `ulimit -n ${OPEN_FILES} && exec "$0" "$@"`, process.execPath, script, entry, String(CALLS), baseUrl],
    // Bounded: a hung flood is killed, and fails below with its signal.
    { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const [code, signal] = await new Promise((resolve) => child.on("close", (...end) => resolve(end)));
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, `the flood ended abnormally:\n${stderr.slice(-2000)}`);
  const { ms, outcomes } = JSON.parse(stdout);
  t.diagnostic(`${CALLS} calls settled in ${ms} ms: ${JSON.stringify(outcomes)}`);
  const { resolved = 0, NETWORK = 0, ...other } = outcomes;
  assert.deepEqual(other, {}, "every call resolves, or rejects with NETWORK");
  assert.equal(resolved + NETWORK, CALLS);
  // Both ways really happened: the server answered some, and the limit refused others.
  assert.ok(resolved > 0, "no call was answered");
  assert.ok(NETWORK > 0, `the open-file limit of ${OPEN_FILES} was never reached`);
});
