// The packed tarball, installed as users install it, in every kind of app the README
// promises: each test signs alice in against a loopback stand-in (start, confirm by a
// POST to the confirm page, waitForConfirmation, validate), or type-checks an app.
//
// Run by tests/consumers/run.sh, which installs the tarball and starts two stand-ins:
//   TVMAZE_API          http://127.0.0.1:PORT/v1, with CORS (cross-origin pages, Node)
//   TVMAZE_NO_CORS_API  the same with --no-cors: reachable from a page only same-origin,
//                       through Vite's proxy
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const bin = (name) => join(here, "node_modules", ".bin", name);
const run = promisify(execFile);
const tarball = process.env.TVMAZE_AUTH_TGZ;
const api = process.env.TVMAZE_API;
const noCorsApi = process.env.TVMAZE_NO_CORS_API;
assert.ok(tarball && api && noCorsApi, "run through tests/consumers/run.sh");
const SIGN_IN = { username: "alice", level: "silver", hasKey: true };

/** The user's press on Confirm: the confirm page's form, posted. */
async function confirm(confirmUrl) {
  const answer = await fetch(confirmUrl, { method: "POST", body: new URLSearchParams({ decision: "confirm" }) });
  assert.equal(answer.status, 200, `confirm page answered ${answer.status}`);
}

// --- the package itself ----------------------------------------------------------

test("publint --strict", async () => {
  const { stdout } = await run(bin("publint"), ["run", "--strict", tarball]);
  assert.match(stdout, /All good!/);
});

test("attw (the .wasm subpath excluded: it has no types by nature)", async () => {
  await run(bin("attw"), [tarball, "--exclude-entrypoints", "./tvmaze_auth_bg.wasm"]);
});

// --- TypeScript ------------------------------------------------------------------------

for (const [ts, tsc] of [
  ["TypeScript 7", [bin("tsc")]],
  ["TypeScript 5.9", [process.execPath, join(here, "node_modules", "typescript-5", "bin", "tsc")]],
]) {
  for (const app of ["types-dom", "types-node"]) {
    test(`tsc --strict, skipLibCheck false: ${app} (${ts})`, async () => {
      await run(tsc[0], [...tsc.slice(1), "-p", join(here, app)]);
    });
  }
}

// --- Node ----------------------------------------------------------------------------------

/** The README's Node example, byte for byte: the block after the marker comment. */
function readmeExample(path) {
  const text = readFileSync(path, "utf8");
  const match = text.match(/<!-- node-example[^>]*-->\n```js\n([\s\S]*?)```/);
  assert.ok(match, `${path} has no node-example block`);
  return match[1];
}

test("Node ESM: the README's example, as written", { timeout: 60_000 }, async () => {
  const example = readmeExample(join(repo, "README.md"));
  assert.equal(readmeExample(join(repo, "npm", "README.md")), example, "the two READMEs' Node examples differ");
  mkdirSync(join(here, "node-esm"), { recursive: true });
  const file = join(here, "node-esm", "readme-example.mjs");
  writeFileSync(file, example);
  const child = spawn(process.execPath, [file], { env: { ...process.env, TVMAZE_API: api }, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  let confirmed = null;
  child.stdout.on("data", (chunk) => {
    out += chunk;
    const url = out.match(/Confirm at (\S+)/)?.[1];
    if (url && !confirmed) confirmed = confirm(url);
  });
  const code = await new Promise((resolve) => child.on("exit", resolve));
  await confirmed;
  assert.equal(code, 0, out);
  assert.match(out, /Signed in as alice \(silver\)/);
});

test("Node ESM: await init() and initSync() are harmless; the .wasm subpath resolves", async () => {
  const auth = await import("tvmaze-auth");
  await auth.default();
  auth.initSync();
  // A real request after both: the stand-in refuses these credentials.
  const refused = await auth.validate("alice", "not-the-key", { baseUrl: api }).then(() => null, (e) => e);
  assert.ok(auth.isTvmazeAuthError(refused), `${refused}`);
  assert.equal(refused.code, "INVALID_CREDENTIALS");
  const wasm = readFileSync(fileURLToPath(import.meta.resolve("tvmaze-auth/tvmaze_auth_bg.wasm")));
  assert.deepEqual([...wasm.subarray(0, 4)], [0, 0x61, 0x73, 0x6d], "\\0asm");
});

test("Node CommonJS, without require() of ES modules", { timeout: 60_000 }, async () => {
  const { stdout } = await run(process.execPath, ["--no-experimental-require-module", join(here, "node-cjs", "main.cjs")], {
    env: { ...process.env, TVMAZE_API: api },
  });
  assert.match(stdout, /^tvmaze-auth \d+\.\d+\.\d+.*: signed in as alice \(silver\)$/m);
});

// --- browsers --------------------------------------------------------------------------------

let browser;
let profile;
before(async () => {
  const { chromium } = await import("playwright-core");
  profile = mkdtempSync(join(tmpdir(), "tvmaze-consumers-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Opens `url`, runs the page's `run(baseUrl)` and returns what it resolved with. */
async function signInOnPage(url, baseUrl) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // Every failed load, except the poll's 403, which is TVmaze's "not confirmed yet"
  // (Chromium also logs each failed load on the console: counted here once, by URL).
  page.on("response", (r) => {
    const pending = r.status() === 403 && r.url().endsWith("/auth/poll");
    if (r.status() >= 400 && !pending) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
  });
  try {
    await page.exposeFunction("confirmInHarness", confirm);
    await page.goto(url);
    await page.waitForFunction(() => typeof window.run === "function", null, { timeout: 20_000 });
    const result = await page.evaluate((base) => window.run(base), baseUrl);
    return { result, problems };
  } finally {
    await page.close();
  }
}

function expectSignedIn({ result, problems }) {
  assert.deepEqual(problems, []);
  assert.equal(result.early, "NOT_INITIALIZED");
  assert.ok(result.polls >= 1, "waitForConfirmation polled at least once");
  assert.deepEqual({ username: result.username, level: result.level, hasKey: result.hasKey }, SIGN_IN);
}

test("Vite: build, preview; a page and a Worker, same-origin through the README's proxy", { timeout: 120_000 }, async (t) => {
  const vite = await import("vite");
  const root = join(here, "vite");
  process.env.TVMAZE_API_ORIGIN = new URL(noCorsApi).origin;
  await vite.build({ root, logLevel: "warn" });
  const server = await vite.preview({ root, logLevel: "warn", preview: { host: "127.0.0.1", port: 0, strictPort: false } });
  t.after(() => server.close());
  const origin = server.resolvedUrls.local[0].replace(/\/$/, "");
  // The stand-in behind the proxy sends no CORS headers: only a same-origin call works.
  expectSignedIn(await signInOnPage(`${origin}/`, "/tvmaze/v1"));
  expectSignedIn(await signInOnPage(`${origin}/worker.html`, "/tvmaze/v1"));
});

test("Vite: dev server; a page and a Worker, same-origin through the README's proxy", { timeout: 120_000 }, async (t) => {
  const vite = await import("vite");
  const root = join(here, "vite");
  process.env.TVMAZE_API_ORIGIN = new URL(noCorsApi).origin;
  const server = await vite.createServer({ root, logLevel: "warn", server: { host: "127.0.0.1", port: 0, strictPort: false } });
  t.after(() => server.close());
  await server.listen();
  const origin = server.resolvedUrls.local[0].replace(/\/$/, "");
  expectSignedIn(await signInOnPage(`${origin}/`, "/tvmaze/v1"));
  expectSignedIn(await signInOnPage(`${origin}/worker.html`, "/tvmaze/v1"));
});

/** Serves `dir` on a free loopback port, .wasm as application/wasm. */
async function serveStatic(dir) {
  const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer((req, res) => {
    const path = normalize(join(dir, new URL(req.url, "http://x").pathname));
    const file = path.endsWith("/") ? join(path, "index.html") : path;
    if (!file.startsWith(dir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

test("webpack 5: build with no config file, cross-origin sign-in in Chromium", { timeout: 120_000 }, async (t) => {
  const { default: webpack } = await import("webpack");
  const context = join(here, "webpack");
  const stats = await new Promise((resolve, reject) =>
    // What `npx webpack --mode production` does in the app's folder: webpack's defaults
    // are src/index.js to dist/main.js, relative to where it runs.
    webpack({ context, mode: "production", output: { path: join(context, "dist") } }, (err, s) =>
      err ? reject(err) : resolve(s),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  const dist = join(context, "dist");
  writeFileSync(join(dist, "index.html"), '<!doctype html><title>tvmaze-auth in webpack</title><link rel="icon" href="data:,"><script src="main.js"></script>\n');
  const server = await serveStatic(dist);
  t.after(() => server.close());
  expectSignedIn(await signInOnPage(`http://127.0.0.1:${server.address().port}/`, api));
});
