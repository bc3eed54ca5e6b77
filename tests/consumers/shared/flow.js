// The sign-in every browser fixture runs (page and Worker, Vite and webpack): the same
// four calls a user makes, against a loopback stand-in. `confirm(url)` stands for the
// user pressing Confirm; the harness does it with a POST to the confirm page.
import init, { isTvmazeAuthError, startAuth, validate, waitForConfirmation } from "tvmaze-auth";

export async function signIn(baseUrl, confirm) {
  // Before init(): a TvmazeAuthError the caller can act on, not a TypeError.
  const early = await startAuth("alice@example.com", { baseUrl }).then(() => null, (e) => e);
  if (!isTvmazeAuthError(early) || early.code !== "NOT_INITIALIZED") {
    throw new Error(`before init(), expected NOT_INITIALIZED, got ${early}`);
  }
  await init();
  const { token, confirmUrl } = await startAuth("alice@example.com", { baseUrl, emailConfirmation: false });
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
  return { early: early.code, username, level, hasKey: apiKey.length > 0, polls };
}
