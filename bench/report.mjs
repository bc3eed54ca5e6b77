// Writes docs/benchmarks.md and docs/benchmarks.json from the JSON files of one run.
//   node bench/report.mjs DIR OUT.md OUT.json
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { runInfo, startupSection } from "./startup-report.mjs";
import { median } from "./timing.mjs";

const [dir, mdPath, jsonPath] = process.argv.slice(2);
const read = (f) => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), "utf8")) : null);
const node = read("node.json");
const chromium = read("chromium.json");
const pacing = read("pacing.json");
const instructions = read("instructions.json");
const startup = read("startup.json");
const git = (...a) => execFileSync("git", a, { encoding: "utf8" }).trim();
const commit = git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock") ? " (with uncommitted changes to src/)" : "");
const cpus = os.cpus();
const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`;
const loads = [node?.loadAtStart, chromium?.loadAtStart].filter(Boolean).map((l) => l[0].toFixed(2));

const ratio = (a, b) => (a == null || b == null ? null : a / b);
// Each client's figure ÷ the plain fetch's, for a per-call row or the 500-concurrent one.
const toFetch = (m) => ({
  libraryRatio: ratio(m.library, m.fetch),
  requestRatio: ratio(m.request, m.fetch),
  shapedRatio: ratio(m.shaped, m.fetch),
  octokitRatio: ratio(m.octokit, m.fetch),
});
function rows(run) {
  const out = [];
  for (const [name, m] of Object.entries(run.sequential.medians)) {
    out.push({
      call: name,
      library: m.library,
      fetch: m.fetch,
      request: m.request ?? null,
      shaped: m.shaped ?? null,
      octokit: m.octokit,
      ...toFetch(m),
    });
  }
  return out;
}
// The 500-concurrent batches, one per client per round: the ratio to the plain fetch's
// batch of the same round, round by round. One batch is a second or less of a shared
// machine, so these spread widely; the table's ratio of medians is one reading of them.
function perRound(samples, client) {
  const xs = samples[client] ?? [];
  const rs = xs.map((v, i) => v / samples.fetch[i]).filter(Number.isFinite);
  return rs.length ? { median: median(rs), min: Math.min(...rs), max: Math.max(...rs), rounds: rs.length } : null;
}
// The target the library is held to: at most this many times the plain fetch's cost.
const TARGET = 1.1;
// The rows where the library could not meet the target, or stay below @octokit/request,
// even with no cost of its own: with gloo-net's way of sending alone (the Request
// column), and with that plus the timeout, abort and body cap the library keeps for
// safety (the library-shaped column).
function floor(rows) {
  const where = (test) => rows.filter(test).map((r) => r.call);
  return {
    requestAboveTarget: where((r) => r.requestRatio > TARGET),
    requestAboveOctokit: where((r) => r.request > r.octokit),
    shapedAboveTarget: where((r) => r.shapedRatio > TARGET),
    shapedAboveOctokit: where((r) => r.shaped > r.octokit),
  };
}
// The 500-concurrent row's name in the floor lists.
const CONCURRENT_ROW = "500 concurrent startAuth";
const summary = {};
for (const [env, run] of [["node", node], ["chromium", chromium]]) {
  if (!run) continue;
  const r = rows(run);
  const c = run.concurrent.medians.startAuth;
  const concurrent = { ...c, ...toFetch(c) };
  summary[env] = {
    version: env === "node" ? run.node : run.chromium,
    perCallUs: r,
    worstLibraryRatio: Math.max(...r.map((x) => x.libraryRatio)),
    concurrent500StartAuthMs: concurrent,
    concurrent500StartAuthPerRound: Object.fromEntries(
      ["library", "request", "shaped", "octokit"].map((who) => [who, perRound(run.concurrent.samples.startAuth, who)]),
    ),
    floor: floor([...r, { call: CONCURRENT_ROW, ...concurrent }]),
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
  startup: startup && { ...runInfo(), ...startup },
  instructionsPerCall: instructions && {
    ...instructions,
    ratios: Object.fromEntries(
      Object.entries(instructions.perCall).map(([name, c]) => [
        name,
        { libraryToFetch: ratio(c.library, c.fetch), libraryToShaped: ratio(c.library, c.shaped), octokitToFetch: ratio(c.octokit, c.fetch) },
      ]),
    ),
    floor: floor(Object.entries(instructions.perCall).map(([call, c]) => ({ call, ...c, ...toFetch(c) }))),
  },
};
writeFileSync(jsonPath, JSON.stringify(json, null, 1) + "\n");

const us = (x) => (x == null ? "–" : Math.round(x).toLocaleString("en-US"));
const x = (r) => (r == null ? "–" : `${r.toFixed(2)}×`);
const timeRow = (label, r) =>
  `| ${label} | ${us(r.library)} | ${us(r.fetch)} | ${us(r.request)} | ${us(r.shaped)} | ${us(r.octokit)} | **${x(r.libraryRatio)}** | ${x(r.requestRatio)} | ${x(r.shapedRatio)} | ${x(r.octokitRatio)} |`;
const calls = (names) => (names.length ? names.map((n) => (n === CONCURRENT_ROW ? "500 concurrent `startAuth`" : n)).join(", ") : "no row");
// The floor, in words: what no change to the library's own code could go below.
const floorText = (f) => `**The floor**: where a client with none of the library's own code (no wasm, glue or
closures) is already above ${x(TARGET)} the plain fetch, or above @octokit/request.
- gloo-net's way of sending alone (the Request column): above ${x(TARGET)} on ${calls(f.requestAboveTarget)};
  above octokit on ${calls(f.requestAboveOctokit)}.
- With the library's timeout, abort and body cap too (the library-shaped column): above
  ${x(TARGET)} on ${calls(f.shapedAboveTarget)}; above octokit on ${calls(f.shapedAboveOctokit)}.`;
let md = `# Benchmarks

What a call costs the client, measured by \`scripts/bench.sh\` (regenerates this page and
[benchmarks.json](benchmarks.json)). A local server on 127.0.0.1, in its own process,
answers every request at once with a fixed body, so the times are the client's own cost
plus loopback HTTP. Each call is made five ways: by **this library**; by a hand-written
**plain fetch** doing the same request (same method, URL, headers, body, \`credentials:
"omit"\`, no referrer, \`redirect: "manual"\`) and the same checks (status mapped to the
same error codes, body read and \`JSON.parse\`d, the same fields checked; no per-request
timeout and no body cap, which the library has and is charged for here); by the same
plain fetch given a **Request** (\`fetch(new Request(url, init))\`), which is how gloo-net
sends every request; by a **library-shaped fetch**, the plain fetch built the way the
library is (a Request, its own AbortController, a 30 s timer, the body read as a capped
stream that stops at its Content-Length, an unneeded answer left unread when it is short
and aborted otherwise); and by **@octokit/request** (the request layer under
\`@octokit/auth-oauth-device\`) doing the same request and checks. So the gap between the
plain fetch and the Request column is what gloo-net's way of sending costs, the gap up
to the library-shaped column is what the library's timeout and body cap cost, and the
gap between it and the library is what the wasm, its glue and its Rust closures cost.
Per-call figures are the median over ${json.method.rounds} rounds of the mean of 100 sequential calls,
and the 500-concurrent rows the median over as many rounds of one batch each; the
clients are interleaved round by round, their order rotating. Times on a shared machine
move from run to run, and so, less, do the ratios: two runs of the same build have given
per-call ratios a tenth or more apart. The instruction counts further down do not move
with the machine's load, only with garbage collection (their spread is given there).

Run on ${json.date.slice(0, 10)} at commit ${commit}: ${machine}; load average (1 min) at
the start of the Node and Chromium runs: ${loads.join(" and ") || "–"}. The machine was
shared with other work.
`;
for (const [env, s] of Object.entries(summary)) {
  md += `
## ${env === "node" ? `Node ${s.version}` : `Chromium ${s.version} (headless)`}

| call | library µs | plain fetch µs | fetch(Request) µs | library-shaped µs | @octokit/request µs | library ÷ fetch | Request ÷ fetch | shaped ÷ fetch | octokit ÷ fetch |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${s.perCallUs.map((r) => timeRow(r.call, r)).join("\n")}
${timeRow("500 concurrent `startAuth` (ms per batch)", s.concurrent500StartAuthMs)}

500 concurrent \`startAuth\`, each client's batch ÷ the plain fetch's batch of the same
round, over ${s.concurrent500StartAuthPerRound.library?.rounds ?? "–"} rounds: ${["library", "shaped", "octokit"].map((who) => {
    const p = s.concurrent500StartAuthPerRound[who];
    return `${who === "library" ? "**library**" : who} median ${x(p?.median)} (${x(p?.min)} to ${x(p?.max)})`;
  }).join(", ")}.

${floorText(s.floor)}
`;
}
if (startup) md += `\n${startupSection(startup)}`;
if (mem) {
  md += `
## Memory (Node)

After a warm-up of 1,000 calls, 10,000 more, one at a time, cycling through every
function and every way a call can end (each answer, each error code, timeouts, aborts,
refused and dropped connections, capped bodies, invalid arguments):
wasm memory ${mem.before.memoryBytes.toLocaleString("en-US")} → ${mem.after.memoryBytes.toLocaleString("en-US")} B (growth ${json.memory.memoryGrowthBytes} B),
externref table ${mem.before.externrefSlots} → ${mem.after.externrefSlots} slots (growth ${json.memory.externrefGrowthSlots}).
The same workload is a test (\`tests/package/memory.test.mjs\`, run by \`scripts/test.sh\`),
which fails on any growth of the table. It includes the calls that make a JS call inside
the library throw (a 200 body that is not JSON, a lone surrogate, a \`baseUrl\` the URL
parser refuses, a throwing option getter, a fake signal): where wasm-bindgen 0.2.130's
code for such an import returns a \`JsValue\`, a throw leaves a table slot taken for
good, so the library's imports that can throw return an \`Option\` or nothing
(\`src/interop.rs\`).
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
const pct = (r) => `${r < 0 ? "−" : ""}${Math.abs(Math.round(r * 100))}%`;
// What the wasm, its glue and its closures add, as a share of a plain fetch's count.
let wasmShare = "–";
let spread = "–";
if (instructions) {
  const k = (n) => (n == null ? "–" : `${Math.round(n / 1000).toLocaleString("en-US")}k`);
  const d = (a, b) => (a == null || b == null ? "–" : `${a >= b ? "+" : "−"}${k(Math.abs(a - b))}`);
  const ic = Object.entries(instructions.perCall);
  // How far apart each client's repeated differences were, as a share of their median.
  const spreads = Object.entries(instructions.samples ?? {}).flatMap(([name, by]) =>
    Object.entries(by).map(([who, xs]) => (Math.max(...xs) - Math.min(...xs)) / instructions.perCall[name][who]),
  );
  spread = spreads.length ? `${pct(Math.min(...spreads))} to ${pct(Math.max(...spreads))}` : "–";
  const shares = ic.map(([, c]) => (c.library - c.shaped) / c.fetch).filter(Number.isFinite);
  wasmShare = `${pct(Math.min(...shares))} to ${pct(Math.max(...shares))}`;
  md += `
## Instructions per call (Node)

Counted by valgrind's callgrind (\`bench/instructions.mjs\`): each client makes the call
${instructions.low} and ${instructions.high} times in two fresh processes, and the difference, divided by
${instructions.high - instructions.low}, is the count per call, start-up cancelled out; the median of
${instructions.repeats ?? 1} such differences is shown. What Node's main thread
executes is counted, with the garbage collector kept on it (\`--single-threaded-gc\`):
the calls' JS and wasm, fetch, streams, timers and garbage collection; the server is
another process. V8's optimizing compiler is left out: it runs on helper threads, was
still compiling hundreds of calls in, and counted it made up about half of a process's
instructions, moving with the order in which functions got hot rather than with what a
call does. Unlike the times above, the count does not move with the load of a shared
machine; what moves it is whether a full garbage collection falls between the two
numbers of calls (here ${spread} between the lowest and the highest of a client's
${instructions.repeats ?? 1} differences, as a share of their median), hence the median.

| call | library | plain fetch | fetch(Request) | library-shaped | @octokit/request | library ÷ fetch | library ÷ shaped | octokit ÷ fetch |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${ic.map(([n, c]) => `| ${n} | ${k(c.library)} | ${k(c.fetch)} | ${k(c.request)} | ${k(c.shaped)} | ${k(c.octokit)} | **${x(ratio(c.library, c.fetch))}** | ${x(ratio(c.library, c.shaped))} | ${x(ratio(c.octokit, c.fetch))} |`).join("\n")}

Where the library's instructions go, step by step from the plain fetch:

| call | plain fetch | + gloo-net's way of sending (a Request passed to fetch) | + timeout, abort and body cap (library-shaped) | + wasm, glue and Rust closures (library) |
|---|---:|---:|---:|---:|
${ic.map(([n, c]) => `| ${n} | ${k(c.fetch)} | ${d(c.request, c.fetch)} | ${d(c.shaped, c.request)} | ${d(c.library, c.shaped)} |`).join("\n")}

${floorText(json.instructionsPerCall.floor)}
`;
}
md += `
## Where the time goes (Node)

Read from the instruction counts above, from \`node --cpu-prof\` of the same loops, and
from variants of the client measured the same way. Beyond what the plain fetch does, a
call of the library:

- **passes a Request to fetch** (gloo-net's \`Request::send\`; it has no way to call
  \`fetch(url, init)\`). Node's fetch copies a Request it is given, as the Fetch standard
  says, and pipes the copy's body through a \`TransformStream\` (the standard's "proxy"
  step), which Node's web streams make dear. That is the largest single cost of every
  call with a body (\`startAuth\`, \`pollAuth\`) and small for \`validate\`, which has
  none: the Request column prices it. It is the design's stack and is kept; it is why
  the library cannot reach 1.10× the plain fetch in Node. In Chromium copying a Request
  is cheap, and one call at a time the library stays about level with the plain fetch,
  within what the ratios move from run to run.
- **bounds every call with a timeout**: its own AbortController, whose signal both
  Requests follow (Node registers a listener and a \`FinalizationRegistry\` entry for
  each), and a gloo-timers timer, set and cleared.
- **runs Rust closures**, each a JS function registered with a \`FinalizationRegistry\`:
  5 for a call that reads a body (the timer's callback, two for the fetch promise, two
  for the one read of the body stream), 3 for one that does not; and **crosses between
  wasm and JS** 71 (a pending poll) to 112 (a confirmed poll) times per call, counted by
  wrapping each import of the glue: every option read and checked one by one, the
  \`RequestInit\` written a key at a time, the answer's status, headers and stream, the
  body's fields, the result object. Each string crossing goes through a
  \`TextDecoder\` or \`TextEncoder\`, and each \`catch\` import's glue wraps the call
  in a fresh function. The last column of the step table prices this part:
  ${wasmShare} of a plain fetch's count (a figure below zero is within the spread of
  the counts). In one call at a time it hides behind the
  network in Chromium; in 500 calls at once the CPU is what limits, and there it shows,
  in Chromium as well as in Node (the 500-concurrent rows). A CPU profile of those 500
  calls in Chromium (DevTools protocol, 100 µs sampling) puts the glue and the wasm at
  about 13% of the page's main-thread time, \`TextDecoder\` 2% of it; fetch itself
  is the rest.

Tried on variants of the build, measured by counting instructions, and not kept:

- **The constant strings made JS strings once** (35 option names, \`RequestInit\`
  keys and values, error fields), passed by reference instead of decoded per call:
  counted as above, 0.8% fewer instructions for \`startAuth\` and 1.7% for \`validate\`, for 295 B
  more wasm (gzip).
- **std's dlmalloc for \`lol_alloc\`** (\`src/allocator.rs\`): 12% fewer
  instructions per call (79k, the whole process counted) at 500 concurrent
  \`startAuth\` against a fetch stubbed inside the process, so that mostly the
  library's own work counted; about 3% of a real call's count above. It costs 3,123 B (gzip), and Chromium's 500-concurrent time did not move beyond
  its run-to-run spread.
- **No \`FinalizationRegistry\` for the closures** (the glue patched): no change at 500
  concurrent calls counted the same way, so the registry is not where concurrency costs.
- **No wrapper function per \`catch\` call** (the glue patched): wasm-bindgen writes each
  \`catch\` import as \`handleError(function (…) {…}, arguments)\`, a fresh function and
  an \`arguments\` object on every call; written as a plain \`try\`/\`catch\` instead, the
  main thread counted about 3% to 4% fewer instructions for \`validate\` and the
  confirmed poll (1,718k and 1,701k against 1,639k and 1,652k; 2,700k against 2,608k).
  wasm-bindgen leaves the wrapper out only for wasm built with exception handling,
  which takes nightly Rust and a rebuilt std. Patching the generated glue would be a
  build step of its own for a few percent, and dropping \`catch\` would let a throw (a
  page's throwing setter on \`Object.prototype\`, say) unwind through the wasm.

What is left would take fewer crossings: reading only the options a function uses
(today every function checks every option, a documented behaviour), or building the
\`RequestInit\` and reading the answer in one JS function each, which wasm-bindgen
supports only as a JS snippet shipped beside the glue. Neither would lower the floors
given under each table: they are what is left with none of the library's own code.

What was removed on the way, each measured by counting instructions (then over the whole
process): an \`abort()\`
without a reason built a DOMException and captured its stack on every call; an unneeded
answer (a pending poll, an error status) was aborted, which in Node costs about half as
much as all the wasm does, and is now left unread when its Content-Length is at most 4 KiB (its
bytes have all arrived, and its connection is reused), aborted only when longer or
unframed; the body stream was read once more to learn that it had ended, and now the
read stops at the Content-Length when the body is not content-coded and the answer is
not cross-origin (whose coding the browser may hide); \`Retry-After\` was read from every
answer, and now only from a 429; each property read and \`JSON.parse\` took its string
through a JS string made for it first, one crossing more, and the \`baseUrl\` check
built a \`URL\` where \`URL.canParse\` answers (about 5% of \`startAuth\`'s count together).
`;
writeFileSync(mdPath, md);
console.error(`[bench report] wrote ${mdPath} and ${jsonPath}`);
