// The soak's sign-in flows, shared by Node and the Chromium page: `count` concurrent
// sign-ins whose users confirm, deny or walk away. `decide(confirmUrl, decision)` is the
// user on the confirm page; the harness makes that request (a page could not: the
// stand-in refuses a cross-site decision, as TVmaze's own page would).
export const INTERVAL_MS = 200;
// Long enough that a user who decides within 1.5 s is polled before the token expires,
// even when a busy machine stalls the flows for seconds.
export const TOKEN_TTL_S = 8;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A deterministic pseudo-random sequence, so a failing run can be repeated. */
export function randomFrom(seed) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

async function flow(lib, baseUrl, i, decide, random) {
  const fate = ["confirm", "deny", "expire"][i % 3];
  const email = i % 2 ? "alice@example.com" : "bob@example.com";
  const { token, confirmUrl } = await lib.startAuth(email, { baseUrl, emailConfirmation: false });
  // The user acts within 1.5 s; the wait is already polling by then. `decide` resolves
  // with the confirm page's status: 404 if the token expired first (a stall), after
  // which the only right outcome is TOKEN_NOT_FOUND.
  const decided =
    fate === "expire" ? Promise.resolve(null) : sleep(100 + random() * 1400).then(() => decide(confirmUrl, fate));
  const intervals = [];
  try {
    const { apiKey, username } = await lib.waitForConfirmation(token, {
      baseUrl,
      intervalMs: INTERVAL_MS,
      deadlineMs: (TOKEN_TTL_S + 10) * 1000,
      // Faults are injected on purpose; a run of them is not what is being tested.
      maxTransientErrors: 10,
      onPoll: (p) => intervals.push(p.nextPollInMs),
    });
    return { fate, email, token, apiKey, username, intervals, decision: await decided };
  } catch (e) {
    return { fate, email, token, code: e.code, intervals, decision: await decided };
  }
}

/** Runs `count` flows at once; resolves with each one's outcome. */
export function runFlows({ lib, baseUrl, count, decide, seed }) {
  const random = randomFrom(seed);
  return Promise.all(Array.from({ length: count }, (_, i) => flow(lib, baseUrl, i, decide, random)));
}
