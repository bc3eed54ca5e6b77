// The packed tarball, installed as users install it, in every kind of app the README
// promises: each test signs alice in against a loopback stand-in (start, confirm by a
// POST to the confirm page, waitForConfirmation, validate), or type-checks an app.
// recipes.test.mjs has the setups of npm/README.md's "Setups" section, next.test.mjs
// Next.js, runtimes.test.mjs Node 18 and 22, Bun and Deno.
//
// Run by tests/consumers/run.sh, which installs the tarball and starts two stand-ins:
//   TVMAZE_API          http://127.0.0.1:PORT/v1, with CORS (cross-origin pages, Node)
//   TVMAZE_NO_CORS_API  the same with --no-cors: reachable from a page only same-origin,
//                       through Vite's proxy
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { api, bin, confirm, expectSignedIn, here, noCorsApi, onPage, run, serveStatic, tarball, useChromium } from "./harness.mjs";

// --- the package itself ----------------------------------------------------------

test("publint --strict", async () => {
  const { stdout } = await run(bin("publint"), ["run", "--strict", tarball]);
  assert.match(stdout, /All good!/);
});

test("attw (the .wasm subpath excluded: it has no types by nature)", async () => {
  await run(bin("attw"), [tarball, "--exclude-entrypoints", "./tvmaze_auth_bg.wasm", "./element"]);
});

test("attw, the ./element subpath as ESM only (a browser module: nothing to require() in Node)", async () => {
  await run(bin("attw"), [tarball, "--profile", "esm-only", "--entrypoints", "./element"]);
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

// runtimes.test.mjs runs the README's example and the CommonJS app in this Node and others.

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

test("Node ESM (as server-side rendering imports it): tvmaze-auth/element defines nothing and throws nothing", async () => {
  assert.equal(typeof globalThis.customElements, "undefined");
  const element = await import("tvmaze-auth/element");
  assert.equal(element.TAG, "tvmaze-sign-in");
  assert.equal(typeof element.TvmazeSignInElement, "function");
  assert.equal(typeof globalThis.customElements, "undefined");
});

// --- browsers --------------------------------------------------------------------------------

const browser = useChromium();

test("Vite: build, preview; a page and a Worker, same-origin through the README's proxy", { timeout: 120_000 }, async (t) => {
  const vite = await import("vite");
  const root = join(here, "vite");
  process.env.TVMAZE_API_ORIGIN = new URL(noCorsApi).origin;
  await vite.build({ root, logLevel: "warn" });
  const server = await vite.preview({ root, logLevel: "warn", preview: { host: "127.0.0.1", port: 0, strictPort: false } });
  t.after(() => server.close());
  const origin = server.resolvedUrls.local[0].replace(/\/$/, "");
  // The stand-in behind the proxy sends no CORS headers: only a same-origin call works.
  const page = await onPage(browser(), `${origin}/`, "/tvmaze/v1");
  expectSignedIn(page);
  assert.equal(page.result.sessionOpens, true, "openSession from the main entry, in a production build");
  expectSignedIn(await onPage(browser(), `${origin}/worker.html`, "/tvmaze/v1"));
});

test("Vite: dev server; a page and a Worker, same-origin through the README's proxy", { timeout: 120_000 }, async (t) => {
  const vite = await import("vite");
  const root = join(here, "vite");
  process.env.TVMAZE_API_ORIGIN = new URL(noCorsApi).origin;
  const server = await vite.createServer({ root, logLevel: "warn", server: { host: "127.0.0.1", port: 0, strictPort: false } });
  t.after(() => server.close());
  await server.listen();
  const origin = server.resolvedUrls.local[0].replace(/\/$/, "");
  expectSignedIn(await onPage(browser(), `${origin}/`, "/tvmaze/v1"));
  expectSignedIn(await onPage(browser(), `${origin}/worker.html`, "/tvmaze/v1"));
});

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
  const origin = await serveStatic(t, dist);
  // Preloaded: init() before the first call, as on hover of a sign-in button.
  expectSignedIn(await onPage(browser(), `${origin}/`, api, { options: { preload: true } }));
});

// --- <tvmaze-sign-in> ------------------------------------------------------------------------

/**
 * Signs in through the element on `url` as a user does: types the email, presses the
 * button, confirms (the emailed link, here the confirm page's form posted), and returns
 * what the page's tvmaze-signed-in listener received.
 */
async function signInWithElement(url) {
  const page = await browser().newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => {
    const pending = r.status() === 403 && r.url().endsWith("/auth/poll");
    if (r.status() >= 400 && !pending) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
  });
  try {
    await page.goto(url);
    // Playwright's CSS locators reach into the element's open shadow root.
    await page.locator("tvmaze-sign-in input").fill("alice@example.com");
    await page.locator("tvmaze-sign-in button[type=submit]").click();
    const confirmUrl = await page.waitForFunction(() => document.querySelector("tvmaze-sign-in").session?.pending?.confirmUrl, null, { timeout: 20_000 });
    await confirm(await confirmUrl.jsonValue());
    const signedIn = await page.waitForFunction(() => window.signedIn, null, { timeout: 30_000 });
    return { result: await signedIn.jsonValue(), problems };
  } finally {
    await page.close();
  }
}

test("<tvmaze-sign-in> on a plain HTML page, one <script type=module>, no bundler", { timeout: 90_000 }, async (t) => {
  const origin = await serveStatic(t, here);
  const { result, problems } = await signInWithElement(`${origin}/plain-html/?api=${encodeURIComponent(api)}`);
  assert.deepEqual(problems, []);
  assert.deepEqual(result, { username: "alice", level: "silver", hasKey: true });
});

test("<tvmaze-sign-in> in a React 19 app (Vite build), listening for tvmaze-signed-in", { timeout: 120_000 }, async (t) => {
  const vite = await import("vite");
  const root = join(here, "react");
  await vite.build({ root, logLevel: "warn" });
  const server = await vite.preview({ root, logLevel: "warn", preview: { host: "127.0.0.1", port: 0, strictPort: false } });
  t.after(() => server.close());
  const origin = server.resolvedUrls.local[0].replace(/\/$/, "");
  const { result, problems } = await signInWithElement(`${origin}/?api=${encodeURIComponent(api)}`);
  assert.deepEqual(problems, []);
  assert.deepEqual(result, { username: "alice", level: "silver", hasKey: true });
});
