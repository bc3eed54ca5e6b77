// The service worker of the Chrome MV3 extension recipe (a module worker: "type":
// "module" in manifest.json), bundled with esbuild as the README says. The harness
// calls these through the DevTools protocol; the user's Confirm is the harness's.
import { isTvmazeAuthError, startAuth, validate, waitForConfirmation } from "tvmaze-auth";

const failure = (e) => ({ ours: isTvmazeAuthError(e), code: e?.code, message: `${e?.message}` });

self.start = (baseUrl) => startAuth("alice@example.com", { baseUrl, emailConfirmation: false }).catch(failure);

self.finish = async (baseUrl, token) => {
  const { apiKey, username } = await waitForConfirmation(token, { baseUrl, intervalMs: 250, deadlineMs: 20_000 });
  const { level } = await validate(username, apiKey, { baseUrl });
  return { username, level, hasKey: apiKey.length > 0 };
};
