// The timing loops, shared by the Node and the browser runs. Every loop is bounded in
// count, and the whole run in time (`budgetMs`): past it, the run stops early and says so.
import { EXPECTED } from "./clients.mjs";

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function check(cases) {
  for (const [name, by] of Object.entries(cases)) {
    for (const [who, call] of Object.entries(by)) {
      const r = await call().catch((e) => e);
      if (!EXPECTED[name](r)) throw new Error(`${who} gave a wrong answer for ${name}: ${JSON.stringify(r) ?? r}`);
    }
  }
}

/**
 * Sequential calls: `rounds` rounds; in each, for every case, every client makes `calls`
 * calls one after the other (the clients' order rotating from round to round). One
 * sample per round, case and client: the mean time per call of that batch, in µs.
 * Returns { case: { client: median µs } } plus the samples.
 */
export async function sequential(cases, { rounds = 15, calls = 100, budgetMs = 120_000, log = () => {} } = {}) {
  await check(cases);
  const stop = performance.now() + budgetMs;
  const samples = {};
  for (const [name, by] of Object.entries(cases)) samples[name] = Object.fromEntries(Object.keys(by).map((c) => [c, []]));
  // One unrecorded round warms the JIT, the connection pool and the wasm allocator.
  for (let r = -1; r < rounds && performance.now() < stop; r++) {
    for (const [name, by] of Object.entries(cases)) {
      const who = Object.keys(by);
      for (let k = 0; k < who.length; k++) {
        const client = who[(k + Math.max(r, 0)) % who.length];
        const call = by[client];
        const t0 = performance.now();
        for (let i = 0; i < calls; i++) await call();
        const us = ((performance.now() - t0) * 1000) / calls;
        if (r >= 0) samples[name][client].push(us);
      }
    }
    if (r >= 0) log(`round ${r + 1}/${rounds}`);
  }
  await check(cases);
  return summarize(samples);
}

/** `n` concurrent calls of each case in `names`, `rounds` times, interleaved; ms per batch. */
export async function concurrent(cases, { n = 500, rounds = 7, names = ["startAuth"], budgetMs = 120_000 } = {}) {
  const stop = performance.now() + budgetMs;
  const samples = {};
  for (const name of names) samples[name] = Object.fromEntries(Object.keys(cases[name]).map((c) => [c, []]));
  for (let r = -1; r < rounds && performance.now() < stop; r++) {
    for (const name of names) {
      const by = cases[name];
      const who = Object.keys(by);
      for (let k = 0; k < who.length; k++) {
        const client = who[(k + Math.max(r, 0)) % who.length];
        const call = by[client];
        const t0 = performance.now();
        const out = await Promise.all(Array.from({ length: n }, () => call().catch((e) => e)));
        const ms = performance.now() - t0;
        if (!out.every(EXPECTED[name])) throw new Error(`${client}: a wrong answer among ${n} concurrent ${name}`);
        if (r >= 0) samples[name][client].push(ms);
      }
    }
  }
  return summarize(samples);
}

function summarize(samples) {
  const medians = {};
  for (const [name, by] of Object.entries(samples)) {
    medians[name] = {};
    for (const [client, xs] of Object.entries(by)) medians[name][client] = xs.length ? median(xs) : null;
  }
  return { medians, samples };
}
