// The browser half of the per-call benchmark; bench/browser.mjs calls window.bench().
import init, * as lib from "/pkg/tvmaze_auth.js";
import { request } from "/target/bench/octokit.mjs";
import { clients } from "./clients.mjs";
import { concurrent, sequential } from "./timing.mjs";

await init();
window.bench = async ({ rounds }) => {
  const cases = clients({ lib, request, baseUrl: `${location.origin}/v1` });
  const seq = await sequential(cases, { rounds, log: (s) => console.log(s) });
  const conc = await concurrent(cases, { rounds: Math.max(3, rounds >> 1) });
  return { sequential: seq, concurrent: conc, userAgent: navigator.userAgent };
};
window.ready = true;
