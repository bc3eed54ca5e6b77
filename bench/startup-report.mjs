// The start-up section of docs/benchmarks.md, from bench/startup.mjs's JSON. report.mjs
// puts it in the whole page; `scripts/bench.sh --startup` runs only the start-up part
// and this replaces the section in place (and `startup` in docs/benchmarks.json):
//   node bench/startup-report.mjs STARTUP.json docs/benchmarks.md docs/benchmarks.json
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";

export const BEGIN = "<!-- start-up: bench/startup-report.mjs writes this section -->";
export const END = "<!-- end of start-up -->";

/** The goals the issue set for start-up, checked against the medians. */
export const GOALS = { importGzipBytes: 6 * 1024, preloadedOverOctokitMs: 1, coldOverOctokitMs: 15 };

/** Where it was run: date, commit, machine, as the rest of the page says it. */
export function runInfo() {
  const git = (...a) => execFileSync("git", a, { encoding: "utf8" }).trim();
  const dirty = git("status", "--porcelain", "--", "src", "npm", "scripts/lib", "Cargo.toml", "Cargo.lock");
  const cpus = os.cpus();
  return {
    date: new Date().toISOString().slice(0, 10),
    commit: git("rev-parse", "--short", "HEAD") + (dirty ? " (with uncommitted changes)" : ""),
    machine: `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`,
  };
}

/** The section's markdown, markers included. */
export function startupSection(s, info = runInfo()) {
  const ms = (x) => `${x.toFixed(1)} ms`;
  const b = (n) => `${n.toLocaleString("en-US")} B`;
  const c = s.clickToRequestMs;
  const lib = s.importBytes.library;
  const oct = s.importBytes.octokit;
  const preloadedGap = c.libraryPreloaded.medianMs - c.octokit.medianMs;
  const coldGap = c.libraryCold.medianMs - c.octokit.medianMs;
  const met = (ok) => (ok ? "met" : "**missed**");
  const sign = (x) => `${x >= 0 ? "+" : "−"}${ms(Math.abs(x))}`;
  return `${BEGIN}
## Start-up (Chromium and Node)

What a page pays for importing the package and for its first call, next to the same
page with @octokit/request making the same request; measured by \`scripts/bench.sh
--startup\` (\`bench/startup.mjs\`) on ${info.date} at commit ${info.commit}:
${info.machine}, load average (1 min) ${s.loadAtStart[0].toFixed(2)} at the start, the
machine shared with other work. Each page is a sign-in button whose click starts a
sign-in, bundled and minified by esbuild as an app's build would, served from 127.0.0.1
with \`no-store\`; Chromium ${s.chromium} (headless), every sample in a fresh browser
context (nothing cached or compiled), the three pages interleaved, ${s.rounds} rounds;
medians.

| | tvmaze-auth | @octokit/request | goal |
|---|---:|---:|---|
| (a) JavaScript the page downloads before any call, minified, gzip -9 | ${b(lib.gzipBytes)} (${b(lib.bytes)} raw)${lib.wasmRequested ? ", **a .wasm request**" : ", no .wasm request"} | ${b(oct.gzipBytes)} (${b(oct.bytes)} raw) | ≤ ${b(GOALS.importGzipBytes)}, no .wasm: ${met(lib.gzipBytes <= GOALS.importGzipBytes && !lib.wasmRequested)} |
| (b) click → start request on the wire, preloaded (\`init()\` awaited before the click) | ${ms(c.libraryPreloaded.medianMs)} | ${ms(c.octokit.medianMs)} | within ${ms(GOALS.preloadedOverOctokitMs)} of octokit: ${sign(preloadedGap)}, ${met(preloadedGap <= GOALS.preloadedOverOctokitMs)} |
| (b) the same, cold (the .wasm fetched and compiled after the click) | ${ms(c.libraryCold.medianMs)} | ${ms(c.octokit.medianMs)} | within ${ms(GOALS.coldOverOctokitMs)} of octokit: ${sign(coldGap)}, ${met(coldGap <= GOALS.coldOverOctokitMs)} |
| (c) Node ${s.node}: import → first call possible, 20 fresh processes | ${ms(s.nodeImportMs.library.medianMs)} | ${ms(s.nodeImportMs.octokit.medianMs)} | |

(a) is the page's one script: the app's few lines with the package (or octokit) in it.
(b) is Resource Timing's \`requestStart\` of the start request less the click event's
\`timeStamp\`, so both include the browser's input dispatch. Of it, the time from the
\`fetch()\` to the wire (\`requestStart − startTime\`) was
${ms(s.fetchToWireMs.libraryPreloaded.medianMs)} for the preloaded library and ${ms(s.fetchToWireMs.octokit.medianMs)} for octokit: the
library sends with \`credentials: "omit"\`, which Chromium sends over a connection of
its own, not the page's, so its first request opens one where octokit's reuses the
page's (against another origin, such as api.tvmaze.com, both open one). The rest of the
preloaded gap is the first call's own work, the first run of the glue and the wasm; the
cold one adds the \`.wasm\`'s fetch, compile and instantiation. Times move with the
machine's load (given above). (c) is from the start of the \`import\` to its end:
the library's Node entry compiles and instantiates its wasm on import, from the bytes
inside it.
${END}
`;
}

// Run as a script: replace the section in place.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [jsonIn, mdPath, jsonPath] = process.argv.slice(2);
  const s = JSON.parse(readFileSync(jsonIn, "utf8"));
  const md = readFileSync(mdPath, "utf8");
  const [a, b] = [md.indexOf(BEGIN), md.indexOf(END)];
  if (a < 0 || b < a) throw new Error(`${mdPath} has no start-up section to replace (${BEGIN} … ${END})`);
  const info = runInfo();
  writeFileSync(mdPath, md.slice(0, a) + startupSection(s, info).trimEnd() + md.slice(b + END.length));
  const json = JSON.parse(readFileSync(jsonPath, "utf8"));
  json.startup = { ...info, ...s };
  writeFileSync(jsonPath, JSON.stringify(json, null, 1) + "\n");
  console.error(`[bench start-up] wrote its section of ${mdPath} and "startup" in ${jsonPath}`);
}
