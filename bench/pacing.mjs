// Pacing accuracy of waitForConfirmation against the real stand-in: with intervalMs 200,
// the first poll is due 200 ms after the call and each next one 200 ms after the pending
// answer before it (onPoll's `nextPollInMs` says so). Each poll's start is taken where
// the library calls the global fetch; its lateness is that minus when it was due.
//   TVMAZE_STANDIN_API=http://127.0.0.1:PORT/v1 node bench/pacing.mjs OUT.json
import { writeFileSync } from "node:fs";
import { loadPackage } from "./lib.mjs";
import { median } from "./timing.mjs";

const out = process.argv[2];
const baseUrl = process.env.TVMAZE_STANDIN_API;
if (!baseUrl) throw new Error("TVMAZE_STANDIN_API is not set");
const POLLS = 25; // pending answers before the user confirms
const INTERVAL = 200;
const LIMIT = 20; // ms a poll may start after its schedule

const { lib } = await loadPackage();
const starts = [];
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  if (String(input?.url ?? input).endsWith("/auth/poll")) starts.push(performance.now());
  return realFetch(input, init);
};

const { token, confirmUrl } = await lib.startAuth("alice@example.com", { baseUrl, emailConfirmation: false });
const due = [];
let confirmed = false;
const t0 = performance.now();
due.push(t0 + INTERVAL);
const result = await lib.waitForConfirmation(token, {
  baseUrl,
  intervalMs: INTERVAL,
  deadlineMs: 60_000,
  onPoll({ attempt, nextPollInMs }) {
    due.push(performance.now() + nextPollInMs);
    if (attempt === POLLS && !confirmed) {
      confirmed = true;
      // The user presses Confirm on the stand-in's page.
      realFetch(confirmUrl, { method: "POST", body: new URLSearchParams({ decision: "confirm" }) });
    }
  },
});
globalThis.fetch = realFetch;
if (result.username !== "alice") throw new Error(`unexpected result ${JSON.stringify(result)}`);
// Every due time has a poll, the last poll being the one that got the key.
const late = starts.map((s, i) => s - due[i]);
if (late.length !== due.length || late.some((x) => !(x >= -1))) {
  throw new Error(`polls and schedule disagree: ${starts.length} polls, ${due.length} due times`);
}
const report = {
  intervalMs: INTERVAL,
  polls: late.length,
  lateMs: { median: median(late), max: Math.max(...late), each: late.map((x) => Math.round(x * 100) / 100) },
  limitMs: LIMIT,
  ok: Math.max(...late) <= LIMIT,
};
writeFileSync(out, JSON.stringify(report, null, 1));
console.error(`[bench pacing] ${late.length} polls, late by median ${report.lateMs.median.toFixed(2)} ms, max ${report.lateMs.max.toFixed(2)} ms`);
if (!report.ok) process.exitCode = 1;
