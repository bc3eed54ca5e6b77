// The child process of flood.test.mjs, run under a low open-file limit:
//   node flood-calls.mjs ENTRY CALLS BASE_URL
// makes CALLS startAuth calls from one synchronous loop, each with its own AbortSignal
// (a Cancel button per sign-in), so that all are in flight at once, then prints how
// they settled as one JSON line: { ms, outcomes: { resolved, NETWORK, ... } }.
// Not a test file itself (node --test picks up *.test.mjs only).
const [entry, calls, baseUrl] = process.argv.slice(2);
const { startAuth } = await import(entry);

const t0 = performance.now();
const pending = [];
for (let i = 0; i < Number(calls); i++) {
  const { signal } = new AbortController();
  // A timeout well past the test's own bound: a call must settle by its answer or by
  // fetch failing, not because a loaded machine was slow.
  const call = startAuth(`user${i}@example.com`, { baseUrl, signal, timeoutMs: 600_000 });
  pending.push(call.then(() => "resolved", (e) => e?.code ?? `not a TvmazeAuthError: ${e}`));
}
const outcomes = {};
for (const outcome of await Promise.all(pending)) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
console.log(JSON.stringify({ ms: Math.round(performance.now() - t0), outcomes }));
