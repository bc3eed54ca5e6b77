// The Chromium half of the benchmark: the web build in a page served by bench/server.mjs
// (same origin as the API, so no CORS preflight is timed), driven with playwright-core.
//   node bench/browser.mjs OUT.json      (CHROMIUM=/path/to/chromium, default /usr/bin/chromium)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "./lib.mjs";

const out = process.argv[2];
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const log = (s) => console.error(`[bench chromium] ${s}`);
const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const loadAtStart = os.loadavg();
const server = await startServer();
const profile = mkdtempSync(join(tmpdir(), "tvmaze-bench-chromium-"));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args,
    timeout: 60_000,
  });
  const version = context.browser()?.version() ?? null;
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(300_000);
  page.on("pageerror", (e) => log(`page error: ${e.message}`));

  log("sequential and 500 concurrent calls");
  await page.goto(`${server.origin}/bench/page.html`, { waitUntil: "load" });
  await page.waitForFunction(() => window.ready === true, null, { timeout: 30_000 });
  const results = await page.evaluate((o) => window.bench(o), { rounds });
  writeFileSync(
    out,
    JSON.stringify({ chromium: version, loadAtStart, ...results }, null, 1),
  );
  log(`wrote ${out}`);
} finally {
  await context?.close();
  server.stop();
  rmSync(profile, { recursive: true, force: true });
}
