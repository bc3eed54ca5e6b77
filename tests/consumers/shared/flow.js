// The sign-in every browser fixture runs (pages, Workers, an extension's service
// worker; Vite, webpack, Rollup, esbuild, Next.js, no bundler): the same calls a user
// makes, against a loopback stand-in, with no init() unless `preload` asks for it.
// `confirm(url)` stands for the user pressing Confirm; the harness does it with a POST
// to the confirm page.
import init, { isTvmazeAuthError, startAuth, validate, waitForConfirmation } from "tvmaze-auth";

/** The .wasm fetches this realm has made so far (Resource Timing sees fetch() too). */
const wasmFetches = () => performance.getEntriesByType("resource").filter((e) => /\.wasm([?#]|$)/.test(e.name)).length;

/** What importing the package did: fetched no .wasm, and isTvmazeAuthError already answers. */
export function beforeFirstCall() {
  const ours = Object.assign(new Error("x"), { name: "TvmazeAuthError", code: "NETWORK" });
  return { wasmFetches: wasmFetches(), recognises: isTvmazeAuthError(ours) && !isTvmazeAuthError(new Error("x")) };
}

export async function signIn(baseUrl, confirm, { preload = false } = {}) {
  const before = beforeFirstCall();
  if (preload) await init();
  // Two first calls at once share one load of the module.
  const start = () => startAuth("alice@example.com", { baseUrl, emailConfirmation: false });
  const [{ token, confirmUrl }] = await Promise.all([start(), start()]);
  // The user confirms while the app waits: after the first "pending" answer.
  let polls = 0;
  let confirmed = null;
  const { apiKey, username } = await waitForConfirmation(token, {
    baseUrl,
    intervalMs: 250,
    deadlineMs: 20_000,
    onPoll: () => {
      if (polls++ === 0) confirmed = confirm(confirmUrl);
    },
  });
  await confirmed;
  const { level } = await validate(username, apiKey, { baseUrl });
  // The key stays here: the harness needs to know only that there was one.
  return { before, wasmFetches: wasmFetches(), username, level, hasKey: apiKey.length > 0, polls };
}
