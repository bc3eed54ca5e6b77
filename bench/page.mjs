// The browser half of the per-call benchmark; bench/browser.mjs calls window.bench().
import init, * as lib from "/pkg/tvmaze_auth.js";
import { request } from "/target/bench/octokit.mjs";
import { clients } from "./clients.mjs";
import { concurrent, sequential } from "./timing.mjs";

await init();
window.bench = async ({ rounds }) => {
  const cases = clients({ lib, request, baseUrl: `${location.origin}/v1` });
  const seq = await sequential(cases, { rounds, log: (s) => console.log(s) });
  // As many rounds as the sequential calls: one batch per client per round moves a lot
  // from round to round on a shared machine, and the report shows by how much.
  const conc = await concurrent(cases, { rounds });
  return { sequential: seq, concurrent: conc, userAgent: navigator.userAgent };
};
window.ready = true;
