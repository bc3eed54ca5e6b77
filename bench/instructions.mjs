// Instructions per call in Node, counted by valgrind's callgrind: unlike a time, the
// count does not move with what else the machine is doing, so it shows what each client
// does per call even on a shared machine. Each (case, client) runs in two fresh
// processes, making the call LOW and HIGH times; the difference divided by HIGH - LOW
// is the count per call, start-up cancelled out. That is done three times and the
// median kept: whether a full garbage collection falls between the LOW-th and the
// HIGH-th call can move one difference by several percent. The server runs in its own
// process, not counted. Two processes at a time, each bounded in time.
//
// Only Node's main thread is counted, with the garbage collector kept on it
// (`--single-threaded-gc`): the calls' JS and wasm, fetch, streams, timers and garbage
// collection. V8's optimizing compiler runs on helper threads and is still compiling
// hundreds of calls in; counted, it was about half of each process's instructions and
// moved with the order in which functions got hot, not with what a call does.
//   node bench/instructions.mjs OUT.json
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { EXPECTED } from "./clients.mjs";
import { median } from "./timing.mjs";

const out = process.argv[2];
const LOW = 100;
const HIGH = 400;
const REPEATS = 3;
const CLIENTS = ["library", "fetch", "request", "shaped", "octokit"];
const one = fileURLToPath(new URL("one-client.mjs", import.meta.url));
const run = promisify(execFile);
const log = (s) => console.error(`[bench instructions] ${s}`);

async function count(who, name, n) {
  const dir = mkdtempSync(join(tmpdir(), "tvmaze-bench-callgrind-"));
  try {
    // One file per thread: `cg-01` is the main thread's.
    await run(
      "valgrind",
      ["--tool=callgrind", "--separate-threads=yes", `--callgrind-out-file=${join(dir, "cg")}`,
        process.execPath, "--single-threaded-gc", one, who, name, String(n)],
      { timeout: 300_000, maxBuffer: 1 << 24 },
    );
    const main = readdirSync(dir).find((f) => f.endsWith("-01"));
    const m = main && /^summary: (\d+)$/m.exec(readFileSync(join(dir, main), "utf8"));
    if (!m) throw new Error(`callgrind wrote no main-thread count for ${who} ${name}`);
    return Number(m[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const jobs = [];
for (const name of Object.keys(EXPECTED)) for (const who of CLIENTS) jobs.push({ name, who });
const results = {};
const samples = {};
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const { name, who } = jobs[next++];
    const perCall = [];
    for (let i = 0; i < REPEATS; i++) {
      const [low, high] = [await count(who, name, LOW), await count(who, name, HIGH)];
      perCall.push(Math.round((high - low) / (HIGH - LOW)));
    }
    (results[name] ??= {})[who] = median(perCall);
    (samples[name] ??= {})[who] = perCall;
    const fmt = (n) => n.toLocaleString("en-US");
    log(`${name} ${who}: ${fmt(results[name][who])} per call (${perCall.map(fmt).join(", ")})`);
  }
}
await Promise.all([worker(), worker()]);
writeFileSync(out, JSON.stringify({ low: LOW, high: HIGH, repeats: REPEATS, thread: "main", perCall: results, samples }, null, 1));
log(`wrote ${out}`);
