// The start-up benchmark: what a page and a Node process pay for tvmaze-auth before and
// at its first call, next to the same page with @octokit/request. Measures the packed
// package (target/npm/package, from scripts/pack.sh), as users install it.
//   node bench/startup.mjs OUT.json     (CHROMIUM=/path/to/chromium; BENCH_STARTUP_ROUNDS=20)
// In headless Chromium, each sample in a fresh browser context (no cache, nothing
// compiled), the three pages interleaved round by round:
// (a) the JavaScript a page downloads for importing the package, before any call;
// (b) from a click on the sign-in button to the start request going on the wire
//     (Resource Timing's requestStart − the click event's timeStamp), cold (the .wasm
//     fetched and compiled after the click) and preloaded (init() awaited before it);
// and in Node (c) from the start of the import to the module being usable, in fresh
// processes.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { median } from "./timing.mjs";
import { repo, startServer } from "./lib.mjs";

const out = process.argv[2];
const rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 20);
const log = (s) => console.error(`[bench start-up] ${s}`);
const pkg = join(repo, "target", "npm", "package");
const dir = join(repo, "target", "bench", "startup");

// --- the two pages, bundled and minified as an app's build would -----------------------
rmSync(dir, { recursive: true, force: true });
for (const name of ["library", "octokit"]) {
  mkdirSync(join(dir, name), { recursive: true });
  await build({
    entryPoints: [join(repo, "bench", `startup-${name}.js`)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    outfile: join(dir, name, "main.js"),
    // The packed package, resolved through its package.json as an app's would be.
    alias: { "tvmaze-auth": pkg },
    logLevel: "warning",
  });
  writeFileSync(
    join(dir, name, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>start-up: ${name}</title><link rel="icon" href="data:,"><button>Sign in</button><script type="module" src="main.js"></script>\n`,
  );
}
copyFileSync(join(pkg, "tvmaze_auth_bg.wasm"), join(dir, "library", "tvmaze_auth_bg.wasm"));

// --- Chromium ------------------------------------------------------------------------------
const loadAtStart = os.loadavg();
const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  timeout: 60_000,
});
const VARIANTS = [
  ["libraryCold", "library", false],
  ["libraryPreloaded", "library", true],
  ["octokit", "octokit", false],
];
const clickToRequest = Object.fromEntries(VARIANTS.map(([v]) => [v, []]));
// Of that, from the fetch() to the wire: where opening a connection shows.
const fetchToWire = Object.fromEntries(VARIANTS.map(([v]) => [v, []]));
const downloads = {};
try {
  // (a), in a load of each page of its own, untimed: reading the bodies through the
  // DevTools protocol would slow the timed samples down.
  for (const name of ["library", "octokit"]) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const loaded = [];
      page.on("response", (r) =>
        loaded.push(
          r.body().then(
            (b) => ({ url: r.url(), bytes: b }),
            () => ({ url: r.url(), bytes: Buffer.alloc(0) }),
          ),
        ),
      );
      await page.goto(`${server.origin}/target/bench/startup/${name}/index.html`, { waitUntil: "load" });
      await page.waitForFunction(() => window.ready === true);
      // What importing cost: everything fetched by now, the page itself aside.
      const files = (await Promise.all(loaded)).filter((f) => !f.url.endsWith(".html"));
      downloads[name] = {
        files: files.map((f) => ({
          path: new URL(f.url).pathname.replace(/^.*\//, ""),
          bytes: f.bytes.length,
          gzipBytes: gzipSync(f.bytes, { level: 9 }).length,
        })),
        wasmRequested: files.some((f) => /\.wasm([?#]|$)/.test(f.url)),
      };
    } finally {
      await context.close();
    }
  }
  log(`${rounds} rounds of 3 page loads, each in a fresh context`);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < VARIANTS.length; k++) {
      const [variant, name, preload] = VARIANTS[(round + k) % VARIANTS.length];
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        await page.goto(`${server.origin}/target/bench/startup/${name}/index.html`, { waitUntil: "load" });
        await page.waitForFunction(() => window.ready === true);
        if (preload) await page.evaluate(() => window.preload());
        await page.click("button");
        await page.waitForFunction(() => window.outcome !== undefined);
        const { outcome, ms, wire } = await page.evaluate(() => {
          const sent = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/v1/auth/start"));
          return {
            outcome: window.outcome,
            ms: sent ? sent.requestStart - window.clickedAt : null,
            wire: sent ? sent.requestStart - sent.startTime : null,
          };
        });
        if (outcome !== "started" || ms == null) throw new Error(`${variant}: ${outcome}, ${ms}`);
        clickToRequest[variant].push(ms);
        fetchToWire[variant].push(wire);
      } finally {
        await context.close();
      }
    }
  }
} finally {
  const version = browser.version();
  await browser.close();
  server.stop();
  downloads.chromium = version;
}

// --- Node -------------------------------------------------------------------------------------
log("Node: import to first call possible, 20 fresh processes each");
const nodeImport = {};
for (const [who, module] of [
  ["library", join(pkg, "node.mjs")],
  ["octokit", "@octokit/request"],
]) {
  const samples = [];
  for (let i = 0; i < 20; i++) {
    samples.push(
      Number(
        execFileSync(process.execPath, [join(repo, "bench", "startup-node.mjs"), module], {
          cwd: repo,
          timeout: 30_000,
        }),
      ),
    );
  }
  nodeImport[who] = { medianMs: median(samples), samplesMs: samples };
}

const summary = (xs) => ({ medianMs: median(xs), samplesMs: xs });
const { chromium: chromiumVersion, ...bytes } = downloads;
const total = (d) => ({
  bytes: d.files.reduce((s, f) => s + f.bytes, 0),
  gzipBytes: d.files.reduce((s, f) => s + f.gzipBytes, 0),
  wasmRequested: d.wasmRequested,
  files: d.files,
});
writeFileSync(
  out,
  JSON.stringify(
    {
      chromium: chromiumVersion,
      node: process.version,
      rounds,
      loadAtStart,
      package: JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version,
      importBytes: { library: total(bytes.library), octokit: total(bytes.octokit) },
      clickToRequestMs: Object.fromEntries(Object.entries(clickToRequest).map(([v, xs]) => [v, summary(xs)])),
      fetchToWireMs: Object.fromEntries(Object.entries(fetchToWire).map(([v, xs]) => [v, summary(xs)])),
      nodeImportMs: nodeImport,
    },
    null,
    1,
  ),
);
log(`wrote ${out}`);
