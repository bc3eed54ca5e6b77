// The attack review's client-side attacks, replayed against the packed package in Node
// and a local stand-in, printing one line per attack with what happened and when. The
// figures quoted in docs/reliability.md ("The one-time key and caller input") come from
// this script: run it on a build before and after a change to compare.
//
//   node --expose-gc bench/attacks.mjs [package dir, default target/npm/package]
//
// Needs the stand-in binary (TVMAZE_STANDIN_BIN, default target/debug/tvmaze-standin).
// Every request goes to that loopback stand-in; each attack is bounded in time.
import { spawn, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const pkg = process.argv[2] ?? `${root}target/npm/package/`;
const glue = await import(`${pkg}/tvmaze_auth.js`);
glue.initSync({ module: readFileSync(`${pkg}/tvmaze_auth_bg.wasm`) });
const { startAuth, pollAuth, validate, waitForConfirmation } = glue;

const bin = process.env.TVMAZE_STANDIN_BIN ?? `${root}target/debug/tvmaze-standin`;
const helpersFlag = execFileSync(bin, ["--help"]).toString().includes("--test-helpers") ? ["--test-helpers"] : [];
const child = spawn(
  bin,
  ["--api-addr", "127.0.0.1:0", "--demo-addr", "127.0.0.1:0", "--poll-interval-ms", "10",
    "--start-limit-per-minute", "1000000", ...helpersFlag],
  { stdio: ["ignore", "pipe", "ignore"] },
);
const baseUrl = await new Promise((resolve, reject) => {
  let out = "";
  setTimeout(() => reject(new Error("stand-in did not start in 10 s")), 10_000).unref();
  child.stdout.on("data", (d) => {
    out += d;
    const found = out.match(/^tvmaze-standin api=(\S+)/m);
    if (found) resolve(found[1]);
  });
});
const origin = baseUrl.replace(/\/v1$/, "");

async function helper(method, path, body) {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  await res.arrayBuffer();
}

/** A confirmed pairing whose next poll answer is slowed by `fault`. */
async function confirmedWith(fault) {
  await helper("DELETE", "/_standin/faults");
  const { token, confirmUrl } = await startAuth("alice@example.com", { baseUrl, emailConfirmation: false });
  await fetch(confirmUrl, { method: "POST", body: new URLSearchParams({ decision: "confirm" }) });
  await helper("POST", "/_standin/faults", { endpoint: "poll", ...fault });
  return token;
}

async function outcome(promise) {
  const t0 = performance.now();
  try {
    const value = await promise;
    const what = value?.apiKey ? "the key" : JSON.stringify(value);
    return `${what} at ${Math.round(performance.now() - t0)} ms`;
  } catch (e) {
    return `${e?.code ?? e} at ${Math.round(performance.now() - t0)} ms`;
  }
}

const report = (name, result) => console.log(`${name}: ${result}`);

// 1. The key handed out when the poll arrives, its answer slower than timeoutMs.
{
  const token = await confirmedWith({ kind: "late_answer", delay_ms: 1500 });
  report("late headers (1.5 s), waitForConfirmation {intervalMs: 200, timeoutMs: 1000}",
    await outcome(waitForConfirmation(token, { baseUrl, intervalMs: 200, timeoutMs: 1000 })));
}
{
  // The real body is about 60 bytes: one every 85 ms is about 5 s.
  const token = await confirmedWith({ kind: "slow_body", byte_interval_ms: 85 });
  report("headers at once, body over about 5 s, waitForConfirmation {intervalMs: 200, timeoutMs: 3000}",
    await outcome(waitForConfirmation(token, { baseUrl, intervalMs: 200, timeoutMs: 3000 })));
}
{
  const token = await confirmedWith({ kind: "late_answer", delay_ms: 1500 });
  report("late headers (1.5 s), pollAuth {timeoutMs: 1000}",
    await outcome(pollAuth(token, { baseUrl, timeoutMs: 1000 })));
}
await helper("DELETE", "/_standin/faults");

// 5. Caller input.
report("pollAuth('to\\uD800k')", await outcome(pollAuth("to\uD800k", { baseUrl })));
report("validate('al:ice', key)", await outcome(validate("al:ice", "k", { baseUrl })));
report("validate('alice', 'k\\r\\nX-Injected: 1')", await outcome(validate("alice", "k\r\nX-Injected: 1", { baseUrl })));
for (const mb of [10, 100]) {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const email = `a@${"x".repeat(mb * 1024 * 1024)}.example`;
  const result = await outcome(startAuth(email, { baseUrl }));
  globalThis.gc?.();
  const grown = (process.memoryUsage().rss - before) / 2 ** 20;
  report(`startAuth(${mb} MB email)`, `${result}, RSS +${grown.toFixed(0)} MB after`);
}
{
  let unhandled = 0;
  process.on("unhandledRejection", () => unhandled++);
  const { token } = await startAuth("alice@example.com", { baseUrl, emailConfirmation: false });
  const controller = new AbortController();
  const wait = waitForConfirmation(token, {
    baseUrl,
    intervalMs: 10,
    signal: controller.signal,
    onPoll: async () => {
      throw new Error("onPoll failed");
    },
  }).catch(() => {});
  await new Promise((r) => setTimeout(r, 1000));
  controller.abort();
  await wait;
  await new Promise((r) => setTimeout(r, 50));
  report("async onPoll that rejects, polling every 10 ms for 1 s", `${unhandled} unhandled rejections`);
}
child.kill();
