// Instructions per call in Node, counted by valgrind's callgrind: unlike a time, the
// count does not move with what else the machine is doing, so it shows what each client
// does per call even on a shared machine. Each (case, client) runs in two fresh
// processes, making the call LOW and HIGH times; the difference divided by HIGH - LOW
// is the count per call, start-up and warm-up cancelled out. The server runs in its own
// process, not counted. Two processes at a time, each bounded in time.
//   node bench/instructions.mjs OUT.json
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { EXPECTED } from "./clients.mjs";

const out = process.argv[2];
const LOW = 100;
const HIGH = 400;
const CLIENTS = ["library", "fetch", "request", "shaped", "octokit"];
const one = fileURLToPath(new URL("one-client.mjs", import.meta.url));
const run = promisify(execFile);
const log = (s) => console.error(`[bench instructions] ${s}`);

async function count(who, name, n) {
  const { stderr } = await run(
    "valgrind",
    ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, one, who, name, String(n)],
    { timeout: 300_000, maxBuffer: 1 << 24 },
  );
  const m = /Collected : (\d+)/.exec(stderr);
  if (!m) throw new Error(`callgrind printed no count for ${who} ${name}: ${stderr.slice(-500)}`);
  return Number(m[1]);
}

const jobs = [];
for (const name of Object.keys(EXPECTED)) for (const who of CLIENTS) jobs.push({ name, who });
const results = {};
let next = 0;
async function worker() {
  while (next < jobs.length) {
    const { name, who } = jobs[next++];
    const [low, high] = [await count(who, name, LOW), await count(who, name, HIGH)];
    (results[name] ??= {})[who] = Math.round((high - low) / (HIGH - LOW));
    log(`${name} ${who}: ${results[name][who].toLocaleString("en-US")} per call`);
  }
}
await Promise.all([worker(), worker()]);
writeFileSync(out, JSON.stringify({ low: LOW, high: HIGH, perCall: results }, null, 1));
log(`wrote ${out}`);
