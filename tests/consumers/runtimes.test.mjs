// The tarball in the server-side runtimes the README names: the Node that runs these
// tests, Node 18 and 22, Bun and Deno, the last four's binaries from the npm registry
// (runtimes/package.json). Each runs the README's Node example as written (the "node"
// and "import" entry); each Node also the CommonJS app without require() of ES modules;
// Deno with no --allow-read: the .wasm travels inside the entry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { api, confirm, here, repo, run } from "./harness.mjs";

const runtimes = join(here, "runtimes", "node_modules");
// Linux x64 binaries; elsewhere npm skips them (optional) and these tests say so.
const supported = process.platform === "linux" && process.arch === "x64";
const RUNTIMES = {
  [`Node ${process.versions.node}`]: { bin: process.execPath, args: [] },
  "Node 18": { bin: join(runtimes, "node-18", "bin", "node"), args: [] },
  "Node 22": { bin: join(runtimes, "node-22", "bin", "node"), args: [] },
  // No auto-install: the package comes from node_modules, as installed.
  Bun: { bin: join(runtimes, "bun", "bin", "bun.exe"), args: ["--no-install", "run"], env: { DO_NOT_TRACK: "1" } },
  // Network (the stand-in) and the one variable the example reads; no file access.
  Deno: {
    bin: join(runtimes, "deno", "deno"),
    args: ["run", "--allow-net=127.0.0.1", "--allow-env=TVMAZE_API"],
    env: { DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1" },
  },
};

/** The README's Node example, byte for byte: the block after the marker comment. */
function readmeExample() {
  const [example, again] = ["README.md", "npm/README.md"].map((path) => {
    const match = readFileSync(join(repo, path), "utf8").match(/<!-- node-example[^>]*-->\n```js\n([\s\S]*?)```/);
    assert.ok(match, `${path} has no node-example block`);
    return match[1];
  });
  assert.equal(again, example, "the two READMEs' Node examples differ");
  mkdirSync(join(here, "node-esm"), { recursive: true });
  const file = join(here, "node-esm", "readme-example.mjs");
  writeFileSync(file, example);
  return file;
}

/** Runs `file` with `runtime`, confirming when it prints the confirm URL; resolves with its output. */
async function signInWith(runtime, file) {
  const { bin, args, env = {} } = RUNTIMES[runtime];
  const child = spawn(bin, [...args, file], {
    cwd: here,
    env: { ...process.env, ...env, TVMAZE_API: api },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
  });
  let out = "";
  let confirmed = null;
  child.stderr.on("data", (chunk) => (out += chunk));
  child.stdout.on("data", (chunk) => {
    out += chunk;
    const url = out.match(/Confirm at (\S+)/)?.[1];
    if (url && !confirmed) confirmed = confirm(url);
  });
  const code = await new Promise((resolve) => child.on("exit", resolve));
  await confirmed;
  assert.equal(code, 0, out);
  return out;
}

for (const runtime of Object.keys(RUNTIMES)) {
  const skip = RUNTIMES[runtime].bin === process.execPath || supported ? false : "the runtimes are Linux x64 binaries";
  test(`${runtime}: the README's example, as written`, { timeout: 90_000, skip }, async () => {
    assert.ok(
      existsSync(RUNTIMES[runtime].bin),
      `${RUNTIMES[runtime].bin} is missing: cd tests/consumers/runtimes && npm ci`,
    );
    assert.match(await signInWith(runtime, readmeExample()), /Signed in as alice \(silver\)/);
  });
}

for (const runtime of Object.keys(RUNTIMES).filter((name) => name.startsWith("Node"))) {
  const skip = RUNTIMES[runtime].bin === process.execPath || supported ? false : "the runtimes are Linux x64 binaries";
  test(`${runtime}: CommonJS, without require() of ES modules`, { timeout: 60_000, skip }, async () => {
    // Node 18 has no require() of ES modules (nor the flag that turns it off).
    const flags = runtime.startsWith("Node 18") ? [] : ["--no-experimental-require-module"];
    const { stdout } = await run(RUNTIMES[runtime].bin, [...flags, join(here, "node-cjs", "main.cjs")], {
      env: { ...process.env, TVMAZE_API: api },
    });
    assert.match(stdout, /^tvmaze-auth \d+\.\d+\.\d+.*: signed in as alice \(silver\)$/m);
  });
}
