// Next.js with no configuration (no next.config, no serverExternalPackages): the app in
// next/ (app router) built and started, and run by its dev server, with Turbopack and
// with webpack. In each: the client component is server-rendered (tvmaze-auth imported
// and called on the server) and hydrated, then signs in from the browser; a route
// handler and a server action each sign in on the server.
// `next dev` writes into the app's folder, so every run works on a scratch copy.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { api, confirm, expectSignedIn, here, onPage, scratch, SIGN_IN, useChromium } from "./harness.mjs";

const NEXT = join(here, "node_modules", "next", "dist", "bin", "next");
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  NODE_OPTIONS: `--import=${pathToFileURL(join(here, "next", "loopback-only.mjs"))}`,
};
const browser = useChromium();
// Next.js 16 runs on Node 20.9 and later.
const [major, minor] = process.versions.node.split(".").map(Number);
const skip =
  major < 20 || (major === 20 && minor < 9) ? `Next.js 16 needs Node 20.9+, not ${process.versions.node}` : false;

/** The app, as a user's repository holds it, in a scratch folder; shared/flow.js beside its components. */
function appCopy(t, name) {
  const dir = scratch(t, name);
  cpSync(join(here, "next"), dir, { recursive: true });
  cpSync(join(here, "shared", "flow.js"), join(dir, "app", "flow.js"));
  return dir;
}

/** Runs `next ARGS` in `dir` to its end; rejects with its output if it fails. */
function next(dir, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT, ...args], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code, signal) =>
      code === 0 ? resolve(out) : reject(new Error(`next ${args.join(" ")}: ${code ?? signal}\n${out}`)),
    );
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `next ARGS -H 127.0.0.1 -p PORT` in `dir` (its own process group, ended after `t`); resolves with its origin once it answers. */
async function serve(t, dir, args) {
  const port = await freePort();
  const child = spawn(process.execPath, [NEXT, ...args, "-H", "127.0.0.1", "-p", String(port)], {
    cwd: dir,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  let exited = false;
  child.on("exit", () => (exited = true));
  t.after(() => {
    if (!exited) process.kill(-child.pid, "SIGTERM");
  });
  const origin = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ;) {
    assert.ok(!exited, `next ${args.join(" ")} exited:\n${out}`);
    assert.ok(Date.now() < deadline, `next ${args.join(" ")} did not answer in 60 s:\n${out}`);
    if (/Ready in|✓ Ready/.test(out)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  t.diagnostic(`next ${args.join(" ")}: ${origin}`);
  return { origin, output: () => out };
}

const post = async (url, body) => {
  const answer = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await answer.text();
  assert.equal(answer.status, 200, `${url}: ${answer.status} ${text}`);
  return JSON.parse(text);
};

/** Every case of the app, against a running server. */
async function everyCase(origin, output) {
  // Server-rendered: the component's markup is in the HTML, with the package evaluated there.
  const html = await (await fetch(`${origin}/`)).text();
  assert.match(
    html,
    /<p id="sign-in" data-rendered="server">Sign in with TVmaze<\/p>/,
    `the server-rendered page:\n${html.slice(0, 2000)}\n${output()}`,
  );
  // Hydrated (window.run is set by an effect), then the browser signs in.
  expectSignedIn(await onPage(browser(), `${origin}/`, api));
  // A route handler, on the server.
  const { token, confirmUrl } = await post(`${origin}/api/start`, { baseUrl: api });
  await confirm(confirmUrl);
  assert.deepEqual(await post(`${origin}/api/finish`, { baseUrl: api, token }), SIGN_IN);
  // A server action, on the server, called from the hydrated page.
  const page = await browser().newPage();
  try {
    await page.exposeFunction("confirmInHarness", confirm);
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => typeof window.runActions === "function", null, { timeout: 30_000 });
    assert.deepEqual(await page.evaluate((base) => window.runActions(base), api), SIGN_IN);
  } finally {
    await page.close();
  }
}

for (const [bundler, flag] of [
  ["Turbopack", []],
  ["webpack", ["--webpack"]],
]) {
  test(
    `Next.js, ${bundler}: next build, next start; page, route handler, server action`,
    { timeout: 240_000, skip },
    async (t) => {
      const dir = appCopy(t, `next-build-${bundler}`);
      await next(dir, ["build", ...flag], 180_000);
      const { origin, output } = await serve(t, dir, ["start"]);
      await everyCase(origin, output);
    },
  );

  test(`Next.js, ${bundler}: next dev; page, route handler, server action`, { timeout: 180_000, skip }, async (t) => {
    const dir = appCopy(t, `next-dev-${bundler}`);
    const { origin, output } = await serve(t, dir, ["dev", ...flag]);
    await everyCase(origin, output);
  });
}
