// The Node half of the benchmark: per-call cost (sequential and concurrent) of the
// library, plain fetch and @octokit/request; wasm memory after 10,000 mixed calls
// (start-up is bench/startup.mjs's). Writes its results as JSON to the path given.
//   node --expose-gc bench/node.mjs OUT.json
import os from "node:os";
import { writeFileSync } from "node:fs";
import { request } from "@octokit/request";
import { clients } from "./clients.mjs";
import { concurrent, sequential } from "./timing.mjs";
import { loadPackage, startServer } from "./lib.mjs";
import { mixedCalls, mixedServer, usage, settleGarbage } from "../tests/package/mixed-calls.mjs";

const out = process.argv[2];
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const log = (s) => console.error(`[bench node] ${s}`);

const { lib, wasm } = await loadPackage();
const results = { node: process.version, loadAtStart: os.loadavg() };
// Memory first, on the fresh instance: later batches of 500 concurrent calls leave the
// externref table with enough free slots to hide a leak of a few hundred.
log("memory after 10,000 mixed calls");
{
  const s = await mixedServer();
  try {
    await mixedCalls(lib, s.url, 1000); // warm-up: the table and memory reach their working size
    await settleGarbage();
    const before = usage(wasm);
    await mixedCalls(lib, s.url, 10_000);
    await settleGarbage();
    const after = usage(wasm);
    results.memory = { calls: 10_000, before, after };
  } finally {
    await s.close();
  }
}
const server = await startServer();
try {
  const cases = clients({ lib, request, baseUrl: `${server.origin}/v1` });
  log("sequential calls");
  results.sequential = await sequential(cases, { rounds, log });
  log("500 concurrent calls");
  // As many rounds as the sequential calls (see bench/page.mjs).
  results.concurrent = await concurrent(cases, { rounds });
} finally {
  server.stop();
}

writeFileSync(out, JSON.stringify(results, null, 1));
log(`wrote ${out}`);
