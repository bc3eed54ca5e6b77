// Soak: many concurrent sign-ins through the built package against one stand-in that
// also misbehaves now and then. TVmaze hands a key out once, so the checks are:
// every flow ends with its right outcome, every key the stand-in handed out reached its
// caller exactly once, the client's own pacing never earns a 429, and a second round of
// the same size leaves wasm memory and the externref table where the first left them.
//
// Run (after scripts/pack.sh, `cargo build -p tvmaze-standin` and, for the Chromium
// part, tests/consumers/run.sh, which installs playwright-core):
//   SOAK_FLOWS=200 SOAK_BROWSER_FLOWS=60 node --expose-gc --test tests/soak/soak.test.mjs
// (the figures in docs/reliability.md). The test command runs the defaults, 60 and 30.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { INTERVAL_MS, TOKEN_TTL_S, runFlows } from "./flows.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pkg = `${root}target/npm/package/`;
const glue = await import(`${pkg}tvmaze_auth.js`);
const { validate } = glue;
const wasm = glue.initSync({ module: readFileSync(`${pkg}tvmaze_auth_bg.wasm`) });

const FLOWS = Number(process.env.SOAK_FLOWS ?? 60);
const SEED = Number(process.env.SOAK_SEED ?? 20261128);

async function startStandin(t) {
  const bin = process.env.TVMAZE_STANDIN_BIN ?? `${root}target/debug/tvmaze-standin`;
  // --test-helpers: the soak arms faults and reads which keys went out.
  const args = ["--api-addr", "127.0.0.1:0", "--demo-addr", "127.0.0.1:0", "--test-helpers",
    "--poll-interval-ms", String(INTERVAL_MS), "--token-ttl-s", String(TOKEN_TTL_S),
    "--start-limit-per-minute", "1000000"];
  // Its request log only with TVMAZE_SOAK_VERBOSE=1: thousands of lines otherwise.
  const log = process.env.TVMAZE_SOAK_VERBOSE ? "inherit" : "ignore";
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", log] });
  t.after(() => child.kill());
  const line = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("stand-in did not start in 10 s")), 10_000);
    child.on("exit", (code) => reject(new Error(`stand-in exited with ${code}`)));
    child.stdout.on("data", (d) => {
      out += d;
      const found = out.match(/^tvmaze-standin api=(\S+)/m);
      if (found) { clearTimeout(timer); resolve(found[1]); }
    });
  });
  return line;
}

async function standin(api, method, path, body) {
  const origin = api.replace(/\/v1\/?$/, "");
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
  return res.status === 204 ? null : res.json();
}

// The user's decision on the confirm page, as its form posts it (from no site at all:
// the page itself would be same-origin). Resolves with the page's status.
async function decide(confirmUrl, decision) {
  const res = await fetch(confirmUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `decision=${decision}`,
  });
  await res.arrayBuffer();
  return res.status;
}

// Transient faults on the poll endpoint, used up by whichever polls come first: 5xx,
// dropped connections and slow answers.
async function armFaults(api, count) {
  const n = Math.max(1, Math.round(count / 10));
  await standin(api, "POST", "/_standin/faults", { endpoint: "poll", kind: "status", status: 503, times: n });
  await standin(api, "POST", "/_standin/faults", { endpoint: "poll", kind: "drop", times: n });
  await standin(api, "POST", "/_standin/faults", { endpoint: "poll", kind: "delay", delay_ms: 300, times: n });
}

/** One round of `count` flows run by `run(count)`, with faults armed, then checked. */
async function round(api, count, run) {
  await armFaults(api, count);
  const handedBefore = new Set(await standin(api, "GET", "/_standin/handed-out"));
  const results = await run(count);
  await standin(api, "DELETE", "/_standin/faults");
  const handed = (await standin(api, "GET", "/_standin/handed-out")).filter((t) => !handedBefore.has(t));

  const users = { "alice@example.com": "alice", "bob@example.com": "bob" };
  for (const r of results) {
    if (r.decision !== null) assert.ok([200, 404].includes(r.decision), `confirm page: ${r.decision}`);
    if (r.fate === "confirm" && r.decision === 200) {
      assert.equal(r.code, undefined, `confirmed flow failed with ${r.code}`);
      assert.equal(r.username, users[r.email]);
      assert.ok(r.apiKey, "a key");
    } else {
      assert.equal(r.code, "TOKEN_NOT_FOUND", `${r.fate} flow ended with ${r.code ?? "a key"}`);
    }
    // A 429 would have stretched the interval to a second at least.
    assert.ok(r.intervals.every((ms) => ms === INTERVAL_MS), `paced into a 429: ${r.intervals}`);
  }
  // Every handed-out key reached its caller, exactly once.
  assert.equal(new Set(handed).size, handed.length, "a key was handed out twice");
  const received = results.filter((r) => r.apiKey).map((r) => r.token);
  // Stalls may let a few tokens expire before their user decides, not most of them.
  const confirms = results.filter((r) => r.fate === "confirm").length;
  assert.ok(received.length >= confirms / 2, `only ${received.length} of ${confirms} confirmed flows got a key`);
  assert.deepEqual([...handed].sort(), [...received].sort());
  // And the keys work.
  const samples = results.filter((r) => r.apiKey).slice(0, 10);
  for (const r of samples) {
    const { premium } = await validate(r.username, r.apiKey, { baseUrl: api });
    assert.ok([0, 1, 2, 3].includes(premium));
  }
  return results;
}

const usage = () => ({ table: wasm.__wbindgen_externrefs.length, memory: wasm.memory.buffer.byteLength });

test(`Node: ${FLOWS} concurrent sign-ins, twice: right outcomes, no key lost, no 429, flat memory`, { timeout: 120_000 }, async (t) => {
  const api = await startStandin(t);
  const run = (count) => runFlows({ lib: glue, baseUrl: api, count, decide, seed: SEED });
  const t0 = performance.now();
  const first = await round(api, FLOWS, run);
  globalThis.gc?.();
  const after1 = usage();
  const second = await round(api, FLOWS, run);
  globalThis.gc?.();
  const after2 = usage();
  const keys = [...first, ...second].filter((r) => r.apiKey).length;
  t.diagnostic(`flows=${2 * FLOWS} keys=${keys} seconds=${((performance.now() - t0) / 1000).toFixed(1)} ` +
    `memory=${after2.memory} table=${after2.table}`);
  assert.ok(after2.memory - after1.memory <= 64 * 1024, `wasm memory grew ${after1.memory} -> ${after2.memory}`);
  assert.ok(after2.table <= after1.table, `externref table grew ${after1.table} -> ${after2.table}`);
});

// The same flows in a Chromium page (fewer: one browser, one process), through the
// packed browser entry. playwright-core is the consumers' pinned copy
// (tests/consumers/run.sh installs it); the test is skipped with a reason without it.
const BROWSER_FLOWS = Number(process.env.SOAK_BROWSER_FLOWS ?? 30);
const playwright = `${root}tests/consumers/node_modules/playwright-core/index.mjs`;

/** Serves the packed package at /pkg/ and this folder at /soak/, on a free port. */
async function serve(t) {
  const dirs = { "/pkg/": pkg, "/soak/": fileURLToPath(new URL("./", import.meta.url)) };
  const types = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end('<!doctype html><title>soak</title><link rel="icon" href="data:,"><script type="module" src="/soak/page.mjs"></script>');
      return;
    }
    const prefix = Object.keys(dirs).find((p) => path.startsWith(p));
    const file = prefix && normalize(join(dirs[prefix], path.slice(prefix.length)));
    if (!file || !file.startsWith(dirs[prefix]) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  return `http://127.0.0.1:${server.address().port}/`;
}

test(`Chromium: ${BROWSER_FLOWS} concurrent sign-ins, three times: right outcomes, no key lost, no 429, flat memory`,
  { timeout: 120_000, skip: !statSync(playwright, { throwIfNoEntry: false }) && "run tests/consumers/run.sh first (it installs playwright-core)" },
  async (t) => {
    const { chromium } = await import(playwright);
    const profile = mkdtempSync(join(tmpdir(), "tvmaze-soak-chromium-"));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    t.after(async () => { await browser.close(); rmSync(profile, { recursive: true, force: true }); });
    const api = await startStandin(t);
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.exposeFunction("decideInHarness", decide);
    await page.goto(await serve(t));
    await page.waitForFunction(() => typeof window.soak === "function", null, { timeout: 20_000 });
    const run = (count) => page.evaluate(([baseUrl, n, seed]) => window.soak(baseUrl, n, seed), [api, count, SEED]);
    // The externref table only ever grows, to the most values alive at once, which
    // varies a little with timing: a first round sets it, the next two must not move
    // it (a leak of even one value per poll would add hundreds per round).
    await round(api, BROWSER_FLOWS, run);
    await round(api, BROWSER_FLOWS, run);
    const after1 = await page.evaluate(() => window.usage());
    await round(api, BROWSER_FLOWS, run);
    const after2 = await page.evaluate(() => window.usage());
    t.diagnostic(`chromium flows=${3 * BROWSER_FLOWS} memory=${after2.memory} table=${after1.table}->${after2.table}`);
    assert.deepEqual(errors, []);
    assert.ok(after2.memory - after1.memory <= 64 * 1024, `wasm memory grew ${after1.memory} -> ${after2.memory}`);
    assert.ok(after2.table <= after1.table, `externref table grew ${after1.table} -> ${after2.table}`);
  });
