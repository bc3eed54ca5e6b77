// The setups of npm/README.md's "Setups" section, each built with the lines given there
// and run in headless Chromium: no bundler, Rollup, esbuild (ESM and IIFE), a page with
// a strict Content-Security-Policy, a bundle that lacks its .wasm, a Chrome MV3
// extension. None calls init(): the package loads itself at the first call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  api,
  bin,
  confirm,
  expectSignedIn,
  here,
  installed,
  launchChromium,
  onPage,
  page,
  run,
  scratch,
  serveStatic,
  SIGN_IN,
  useChromium,
} from "./harness.mjs";

const browser = useChromium();
const entry = join(here, "recipes", "main.js");
const WASM = join(installed, "tvmaze_auth_bg.wasm");

/** `esbuild ENTRY --bundle --format=FORMAT --outfile=DIR/main.js`, as the README has it. */
async function esbuild(dir, format, input = entry, out = "main.js") {
  await run(bin("esbuild"), [
    input,
    "--bundle",
    `--format=${format}`,
    `--outfile=${join(dir, out)}`,
    "--log-level=error",
  ]);
}

/** The README's `cp node_modules/tvmaze-auth/tvmaze_auth_bg.wasm dist/`. */
const copyWasm = (dir) => cpSync(WASM, join(dir, "tvmaze_auth_bg.wasm"));

/** Opens `url` and makes one call; resolves with how it ended (recipes/main.js's `once`). */
async function oneCall(url, baseUrl) {
  const tab = await browser().newPage();
  try {
    await tab.goto(url);
    await tab.waitForFunction(() => typeof window.once === "function", null, { timeout: 30_000 });
    const first = await tab.evaluate((base) => window.once(base), baseUrl);
    return {
      tab,
      first,
      again: (base = baseUrl) => tab.evaluate((b) => window.once(b), base),
      close: () => tab.close(),
    };
  } catch (e) {
    await tab.close();
    throw e;
  }
}

test("no bundler: <script type=module> and an import map, never calling init()", { timeout: 60_000 }, async (t) => {
  const origin = await serveStatic(t, here);
  expectSignedIn(await onPage(browser(), `${origin}/plain/index.html`, api));
});

test("Rollup with @rollup/plugin-node-resolve, the .wasm copied next to the bundle", { timeout: 60_000 }, async (t) => {
  const dir = scratch(t, "rollup");
  // The README's rollup.config.mjs, as written.
  writeFileSync(
    join(dir, "rollup.config.mjs"),
    `import { nodeResolve } from "@rollup/plugin-node-resolve";\n\nexport default { input: ${JSON.stringify(entry)}, output: { dir: "dist", format: "es" }, plugins: [nodeResolve()] };\n`,
  );
  await run(process.execPath, [join(here, "node_modules", "rollup", "dist", "bin", "rollup"), "-c", "--silent"], {
    cwd: dir,
  });
  const dist = join(dir, "dist");
  copyWasm(dist);
  writeFileSync(join(dist, "index.html"), page("tvmaze-auth in Rollup", "main.js"));
  expectSignedIn(await onPage(browser(), `${await serveStatic(t, dist)}/`, api));
});

for (const format of ["esm", "iife"]) {
  test(`esbuild --format=${format}, the .wasm copied next to the bundle`, { timeout: 60_000 }, async (t) => {
    const dist = scratch(t, `esbuild-${format}`);
    await esbuild(dist, format);
    copyWasm(dist);
    writeFileSync(
      join(dist, "index.html"),
      page(`tvmaze-auth in esbuild (${format})`, "main.js", { classic: format === "iife" }),
    );
    expectSignedIn(await onPage(browser(), `${await serveStatic(t, dist)}/`, api));
  });
}

test(
  "a bundle without its .wasm: LOAD_FAILED naming the fix; the next call, once it is there, loads; init({ module_or_path }) loads it from elsewhere",
  { timeout: 60_000 },
  async (t) => {
    const dist = scratch(t, "missing-wasm");
    await esbuild(dist, "esm");
    writeFileSync(join(dist, "index.html"), page("tvmaze-auth without its .wasm", "main.js"));
    mkdirSync(join(dist, "assets"));
    copyWasm(join(dist, "assets"));
    const origin = await serveStatic(t, dist);
    const missing = await oneCall(`${origin}/`, api);
    t.after(missing.close);
    t.diagnostic(missing.first.message);
    assert.equal(missing.first.ours, true, missing.first.message);
    assert.equal(missing.first.code, "LOAD_FAILED");
    for (const fix of [
      `${origin}/tvmaze_auth_bg.wasm answered HTTP 404`,
      "tvmaze-auth/tvmaze_auth_bg.wasm",
      "init({ module_or_path })",
    ]) {
      assert.ok(missing.first.message.includes(fix), `${JSON.stringify(missing.first.message)} does not say ${fix}`);
    }
    // Served elsewhere, with init() told where: then calls work.
    const elsewhere = await oneCall(`${origin}/`, api);
    t.after(elsewhere.close);
    assert.equal(elsewhere.first.code, "LOAD_FAILED");
    assert.equal(await elsewhere.tab.evaluate(() => window.preload("/assets/tvmaze_auth_bg.wasm")), "loaded");
    assert.deepEqual(await elsewhere.again(), { ok: true });
    // A failed load is forgotten: with the file in place the next call loads and works.
    copyWasm(dist);
    assert.deepEqual(await missing.again(), { ok: true });
  },
);

test(
  "a strict Content-Security-Policy: LOAD_FAILED naming 'wasm-unsafe-eval'; with it the page signs in; a connect-src that blocks the API is NETWORK, naming it",
  { timeout: 60_000 },
  async (t) => {
    const dist = scratch(t, "csp");
    await esbuild(dist, "esm");
    copyWasm(dist);
    for (const name of ["strict", "wasm", "connect"])
      writeFileSync(join(dist, `${name}.html`), page(`tvmaze-auth under CSP (${name})`, "main.js"));
    const policies = {
      "strict.html": "script-src 'self'",
      "wasm.html": "script-src 'self' 'wasm-unsafe-eval'",
      "connect.html": "script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'",
    };
    const origin = await serveStatic(t, dist, {
      headers: (file) => ({ "content-security-policy": policies[file.split("/").pop()] ?? "default-src 'none'" }),
    });

    const strict = await oneCall(`${origin}/strict.html`, api);
    t.after(strict.close);
    t.diagnostic(strict.first.message);
    assert.equal(strict.first.code, "LOAD_FAILED", strict.first.message);
    assert.ok(strict.first.ours);
    assert.match(strict.first.message, /add 'wasm-unsafe-eval' to its script-src/);
    assert.match(strict.first.message, /extension_pages/);

    expectSignedIn(await onPage(browser(), `${origin}/wasm.html`, api));

    const connect = await oneCall(`${origin}/connect.html`, api);
    t.after(connect.close);
    t.diagnostic(connect.first.message);
    assert.equal(connect.first.code, "NETWORK", connect.first.message);
    assert.match(connect.first.message, /CSP connect-src/);
  },
);

test(
  "a Chrome MV3 extension: manifest CSP with 'wasm-unsafe-eval', module service worker; without it, LOAD_FAILED naming it",
  { timeout: 90_000 },
  async (t) => {
    const root = scratch(t, "extension");
    const extensions = {};
    for (const [name, policy] of [
      ["with-wasm", "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'"],
      ["without", "script-src 'self'; object-src 'self'"],
    ]) {
      const dir = join(root, name);
      mkdirSync(dir);
      // The README's lines: the worker bundled with esbuild, the .wasm copied beside it.
      await esbuild(dir, "esm", join(here, "recipes", "extension", "sw-main.js"), "sw.js");
      copyWasm(dir);
      const manifest = JSON.parse(readFileSync(join(here, "recipes", "extension", "manifest.json"), "utf8"));
      writeFileSync(
        join(dir, "manifest.json"),
        JSON.stringify({
          ...manifest,
          name: `tvmaze-auth ${name}`,
          content_security_policy: { extension_pages: policy },
        }),
      );
      extensions[name] = dir;
    }
    const dirs = Object.values(extensions).join(",");
    const chromium = await launchChromium([`--disable-extensions-except=${dirs}`, `--load-extension=${dirs}`]);
    t.after(chromium.close);
    // Each extension's worker, told apart by the name in its manifest.
    const workers = {};
    for (const deadline = Date.now() + 30_000; Object.keys(workers).length < 2;) {
      assert.ok(
        Date.now() < deadline,
        `the extensions' service workers did not start (${chromium.context.serviceWorkers().map((w) => w.url())})`,
      );
      for (const worker of chromium.context.serviceWorkers()) {
        const name = await worker.evaluate(() => chrome.runtime.getManifest().name).catch(() => null);
        if (name) workers[name.replace("tvmaze-auth ", "")] = worker;
      }
      if (Object.keys(workers).length < 2) await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const started = await workers["with-wasm"].evaluate((base) => self.start(base), api);
    assert.ok(started.token, JSON.stringify(started));
    await confirm(started.confirmUrl);
    assert.deepEqual(
      await workers["with-wasm"].evaluate(([base, token]) => self.finish(base, token), [api, started.token]),
      SIGN_IN,
    );

    const refused = await workers.without.evaluate((base) => self.start(base), api);
    t.diagnostic(refused.message);
    assert.equal(refused.code, "LOAD_FAILED", refused.message);
    assert.ok(refused.ours);
    assert.match(refused.message, /'wasm-unsafe-eval'.*content_security_policy\.extension_pages in manifest\.json/);
  },
);
