// Helpers the Node-side scripts share: the built package, and child processes that end
// with the run.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const repo = fileURLToPath(new URL("..", import.meta.url));
export const pkg = new URL("../pkg/", import.meta.url);

/** The web build of pkg/, instantiated synchronously as a Node user of it would. */
export async function loadPackage() {
  const lib = await import(new URL("tvmaze_auth.js", pkg));
  const wasm = lib.initSync({ module: readFileSync(new URL("tvmaze_auth_bg.wasm", pkg)) });
  return { lib, wasm };
}

/** Starts bench/server.mjs serving `root`; resolves with its origin and a stop(). */
export function startServer(root = repo, timeoutMs = 10_000) {
  const child = spawn(process.execPath, [fileURLToPath(new URL("server.mjs", import.meta.url)), root], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("bench server did not start")), timeoutMs);
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /bench-server (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: m[1], stop: () => child.kill() });
      }
    });
    child.on("exit", (code) => reject(new Error(`bench server exited (${code})`)));
  });
}
