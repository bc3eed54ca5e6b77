// One client making one case's call N times in a row, against bench/server.mjs, for the
// instruction counts (bench/instructions.mjs runs it under callgrind, twice, with two
// values of N: the difference is N's share alone, without start-up).
//   node bench/one-client.mjs CLIENT CASE N
import { request } from "@octokit/request";
import { clients, EXPECTED } from "./clients.mjs";
import { loadPackage, startServer } from "./lib.mjs";

const [who, name, n] = process.argv.slice(2);
const { lib } = await loadPackage();
const server = await startServer();
try {
  const call = clients({ lib, request, baseUrl: `${server.origin}/v1` })[name][who];
  // Counted only if the client gives the right answer: a broken one would be cheap.
  const first = await call().catch((e) => e);
  if (!EXPECTED[name](first)) throw new Error(`${who} gave a wrong answer for ${name}: ${first}`);
  for (let i = 1; i < Number(n); i++) await call().catch(() => {});
} finally {
  server.stop();
}
