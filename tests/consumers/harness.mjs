// What the consumer tests share: the environment run.sh sets up, the user's press on
// Confirm, headless Chromium, a page's sign-in and a static server. Not a test file
// itself (node --test runs *.test.mjs only).
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, "..", "..");
export const bin = (name) => join(here, "node_modules", ".bin", name);
export const run = promisify(execFile);
export const tarball = process.env.TVMAZE_AUTH_TGZ;
export const api = process.env.TVMAZE_API;
export const noCorsApi = process.env.TVMAZE_NO_CORS_API;
assert.ok(tarball && api && noCorsApi, "run through tests/consumers/run.sh");
/** The installed package, as an app's node_modules holds it. */
export const installed = join(here, "node_modules", "tvmaze-auth");
export const SIGN_IN = { username: "alice", level: "silver", hasKey: true };

/**
 * A fresh folder for test `t`'s build output, removed after it; inside tests/consumers
 * (in .tmp/, ignored by git) so that node_modules resolves from it.
 */
export function scratch(t, name) {
  mkdirSync(join(here, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(here, ".tmp", `${name}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The user's press on Confirm: the confirm page's form, posted. */
export async function confirm(confirmUrl) {
  const answer = await fetch(confirmUrl, { method: "POST", body: new URLSearchParams({ decision: "confirm" }) });
  assert.equal(answer.status, 200, `confirm page answered ${answer.status}`);
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium with a fresh profile; `extraArgs` e.g. to load extensions. */
export async function launchChromium(extraArgs = []) {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "tvmaze-consumers-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One Chromium for the test file that calls this: `browser()` is its context. */
export function useChromium() {
  let chromium;
  before(async () => {
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
  });
  return () => chromium.context;
}

/**
 * Opens `url`, waits for the page's `window.run`, runs `run(baseUrl, options)` and
 * returns what it resolved with, plus every problem the page showed: page errors,
 * console errors and failed loads, except the poll's 403 (TVmaze's "not confirmed yet")
 * and what `allow(status, url)` accepts.
 */
export async function onPage(context, url, baseUrl, { options = {}, allow = () => false } = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => {
    const pending = r.status() === 403 && r.url().endsWith("/auth/poll");
    if (r.status() >= 400 && !pending && !allow(r.status(), r.url())) problems.push(`${r.status()} ${r.url()}`);
  });
  // Chromium also logs each failed load on the console: counted above, once, by URL.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
  });
  try {
    await page.exposeFunction("confirmInHarness", confirm);
    await page.goto(url);
    await page.waitForFunction(() => typeof window.run === "function", null, { timeout: 30_000 });
    const result = await page.evaluate(([base, o]) => window.run(base, o), [baseUrl, options]);
    return { result, problems };
  } finally {
    await page.close();
  }
}

/** The shared flow (shared/flow.js) signed alice in, with no .wasm fetched before it. */
export function expectSignedIn({ result, problems }) {
  assert.deepEqual(problems, []);
  assert.deepEqual(
    result.before,
    { wasmFetches: 0, recognises: true },
    "importing fetched the .wasm, or isTvmazeAuthError needed it",
  );
  assert.equal(result.wasmFetches, 1, "the first calls shared one load");
  assert.ok(result.polls >= 1, "waitForConfirmation polled at least once");
  assert.deepEqual({ username: result.username, level: result.level, hasKey: result.hasKey }, SIGN_IN);
}

const TYPES = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/**
 * Serves `dir` on a free loopback port, .wasm as application/wasm; `headers(path)` adds
 * headers to an answer (a Content-Security-Policy, say). Closed after test `t`.
 */
export async function serveStatic(t, dir, { headers = () => ({}) } = {}) {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    const file = path.endsWith("/") ? join(path, "index.html") : path;
    if (!file.startsWith(dir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", ...headers(file) });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => server.close());
  return `http://127.0.0.1:${server.address().port}`;
}

/** A page that runs `script` (a module, unless `classic`) and nothing else. */
export const page = (title, script, { classic = false } = {}) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,"><script ${classic ? "" : 'type="module" '}src="${script}"></script>\n`;
