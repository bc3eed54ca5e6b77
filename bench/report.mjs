// Writes docs/benchmarks.md and docs/benchmarks.json from the JSON files of one run.
//   node bench/report.mjs DIR OUT.md OUT.json
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";

const [dir, mdPath, jsonPath] = process.argv.slice(2);
const read = (f) => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), "utf8")) : null);
const node = read("node.json");
const chromium = read("chromium.json");
const pacing = read("pacing.json");
const git = (...a) => execFileSync("git", a, { encoding: "utf8" }).trim();
const commit = git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock") ? " (with uncommitted changes to src/)" : "");
const cpus = os.cpus();
const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`;
const loads = [node?.loadAtStart, chromium?.loadAtStart].filter(Boolean).map((l) => l[0].toFixed(2));

const ratio = (a, b) => (a == null || b == null ? null : a / b);
function rows(run) {
  const out = [];
  for (const [name, m] of Object.entries(run.sequential.medians)) {
    out.push({
      call: name,
      library: m.library,
      fetch: m.fetch,
      shaped: m.shaped ?? null,
      octokit: m.octokit,
      libraryRatio: ratio(m.library, m.fetch),
      shapedRatio: ratio(m.shaped, m.fetch),
      octokitRatio: ratio(m.octokit, m.fetch),
    });
  }
  return out;
}
const summary = {};
for (const [env, run] of [["node", node], ["chromium", chromium]]) {
  if (!run) continue;
  const r = rows(run);
  const c = run.concurrent.medians.startAuth;
  summary[env] = {
    version: env === "node" ? run.node : run.chromium,
    perCallUs: r,
    worstLibraryRatio: Math.max(...r.map((x) => x.libraryRatio)),
    concurrent500StartAuthMs: { ...c, libraryRatio: ratio(c.library, c.fetch), shapedRatio: ratio(c.shaped, c.fetch), octokitRatio: ratio(c.octokit, c.fetch) },
    startupMs: run.startup.medianMs,
  };
}
const mem = node?.memory;
const json = {
  date: new Date().toISOString(),
  commit,
  machine,
  loadAverageAtStart: { node: node?.loadAtStart ?? null, chromium: chromium?.loadAtStart ?? null },
  method: { rounds: node?.sequential.samples.startAuth.library.length ?? null, callsPerRound: 100, concurrent: 500 },
  ...summary,
  memory: mem && {
    ...mem,
    memoryGrowthBytes: mem.after.memoryBytes - mem.before.memoryBytes,
    externrefGrowthSlots: mem.after.externrefSlots - mem.before.externrefSlots,
  },
  pacing,
};
writeFileSync(jsonPath, JSON.stringify(json, null, 1) + "\n");

const us = (x) => (x == null ? "–" : Math.round(x).toLocaleString("en-US"));
const x = (r) => (r == null ? "–" : `${r.toFixed(2)}×`);
let md = `# Benchmarks

What a call costs the client, measured by \`scripts/bench.sh\` (regenerates this page and
[benchmarks.json](benchmarks.json)). A local server on 127.0.0.1, in its own process,
answers every request at once with a fixed body, so the times are the client's own cost
plus loopback HTTP. Each call is made three ways: by **this library**, by a hand-written
**plain fetch** doing the same request (same method, URL, headers, body, \`credentials:
"omit"\`, no referrer, \`redirect: "manual"\`) and the same checks (status mapped to the
same error codes, body read and \`JSON.parse\`d, the same fields checked; no per-request
timeout and no body cap, which the library has and is charged for here), and by
**@octokit/request** (the request layer under \`@octokit/auth-oauth-device\`) doing the same
request and checks. A fourth client, the **library-shaped fetch**, is the plain fetch
built the way the library is (its own AbortController, a Request built first, a 30 s
timer, the body read as a stream and decoded strictly): the gap between it and the plain
fetch is what the shape of the exchange costs, and the gap between the library and it is
what the wasm, its glue and its Rust closures cost. Per-call figures are the median over ${json.method.rounds} rounds of the mean of 100
sequential calls; the three clients are interleaved round by round, their order rotating.

Run on ${json.date.slice(0, 10)} at commit ${commit}: ${machine}; load average (1 min) at
the start of the Node and Chromium runs: ${loads.join(" and ") || "–"}. The machine was
shared with other work, so absolute times move from run to run; the ratios, measured
interleaved, move less.
`;
for (const [env, s] of Object.entries(summary)) {
  md += `
## ${env === "node" ? `Node ${s.version}` : `Chromium ${s.version} (headless)`}

| call | library µs | plain fetch µs | library-shaped fetch µs | @octokit/request µs | library ÷ fetch | shaped ÷ fetch | octokit ÷ fetch |
|---|---:|---:|---:|---:|---:|---:|---:|
${s.perCallUs.map((r) => `| ${r.call} | ${us(r.library)} | ${us(r.fetch)} | ${us(r.shaped)} | ${us(r.octokit)} | **${x(r.libraryRatio)}** | ${x(r.shapedRatio)} | ${x(r.octokitRatio)} |`).join("\n")}
| 500 concurrent \`startAuth\` (ms per batch) | ${us(s.concurrent500StartAuthMs.library)} | ${us(s.concurrent500StartAuthMs.fetch)} | ${us(s.concurrent500StartAuthMs.shaped)} | ${us(s.concurrent500StartAuthMs.octokit)} | **${x(s.concurrent500StartAuthMs.libraryRatio)}** | ${x(s.concurrent500StartAuthMs.shapedRatio)} | ${x(s.concurrent500StartAuthMs.octokitRatio)} |

Start-up (import to first call possible: ${env === "node" ? "import of the web build and `initSync` of its wasm, median of 20 fresh processes" : "the glue and the wasm fetched uncached, compiled and instantiated, median of 20 fresh page loads"}): **${s.startupMs.toFixed(1)} ms**.
`;
}
if (mem) {
  md += `
## Memory (Node)

After a warm-up of 1,000 calls, 10,000 more, one at a time, cycling through every
function and every way a call can end (each answer, each error code, timeouts, aborts,
refused and dropped connections, capped bodies, invalid arguments):
wasm memory ${mem.before.memoryBytes.toLocaleString("en-US")} → ${mem.after.memoryBytes.toLocaleString("en-US")} B (growth ${json.memory.memoryGrowthBytes} B),
externref table ${mem.before.externrefSlots} → ${mem.after.externrefSlots} slots (growth ${json.memory.externrefGrowthSlots}).
The same workload is a test (\`tests/package/memory.test.mjs\`, run by \`scripts/test.sh\`).
Known leak: three of the kinds (a 200 body that is not JSON, a \`baseUrl\` the URL parser
refuses, a throwing option getter) make a wasm-bindgen \`catch\` import throw while it
returns a value, and the code wasm-bindgen 0.2.130 generates for such an import never
frees the slot of that return value: one externref slot or more per such call, never
wasm memory. The test keeps the other kinds strictly flat and bounds these.
`;
}
if (pacing) {
  md += `
## Pacing (Node, against the stand-in)

\`waitForConfirmation\` with \`intervalMs: ${pacing.intervalMs}\`, ${pacing.polls} polls: each poll started
${pacing.lateMs.median.toFixed(1)} ms (median) and at most ${pacing.lateMs.max.toFixed(1)} ms after it was due
(limit ${pacing.limitMs} ms: ${pacing.ok ? "met" : "**missed**"}).
`;
}
md += `
## Where the time goes (Node)

Read from \`node --cpu-prof\` of \`validate\` and \`pollAuth\` loops against the same server,
beside the same loops of the plain fetch, and from the library-shaped fetch column. Every
call of the library does, beyond what the plain fetch does:

- **a second Request and a second abort signal.** gloo-net sends a \`web_sys::Request\`
  (wrapped with \`gloo_net::http::Request::from\`), and \`fetch(request)\` copies it into
  a new Request, as the Fetch standard says; each Request makes an AbortSignal that follows
  the one it was given. The library adds its own AbortController, for the timeout and to
  abort a request whose answer is not read to its end. The library-shaped fetch above
  does the same in plain JS, so its column prices this. In Node it is cheap where the
  body is read to its end, and dear where it is not (a pending poll, an error status):
  aborting a request whose body stream is still open sends the abort through both
  Requests' signals and cancels the stream, on every such answer.
- **Rust closures**, each a JS function registered with a \`FinalizationRegistry\` (and so
  more garbage-collector work): 7 for a call that reads a body (the timeout's gloo-timers
  callback, two for the fetch promise, two for each of the two reads of the body stream),
  3 for one that does not. There were 9 and 5 before \`Sleep\` woke its task itself.
- **the body as a stream**, read chunk by chunk up to the 64 KiB cap (two reads: the
  chunk, then the end), where the plain fetch calls \`text()\` once.
- **about 30 strings passed from wasm to JS** (option names, \`RequestInit\` keys and
  values, header names), each decoded by a \`TextDecoder\`, and the option reads and the
  URL check (\`new URL(baseUrl)\`) on every call.
- gone: an \`AbortController.abort()\` with no reason after every call built a DOMException
  and captured its stack, the costliest single step of a call (about 40 µs of a ~970 µs
  \`validate\` on this machine, under load); \`Retry-After\` was read from every answer.
`;
writeFileSync(mdPath, md);
console.error(`[bench report] wrote ${mdPath} and ${jsonPath}`);
