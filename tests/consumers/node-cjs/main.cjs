// CommonJS, as Node 18 runs it: the harness starts this with
// --no-experimental-require-module, so require() of an ES module would fail.
const auth = require("tvmaze-auth");
const { startAuth, waitForConfirmation, validate, isTvmazeAuthError } = auth;
const { version } = require("tvmaze-auth/package.json");

async function main() {
  // Optional in Node, and harmless.
  await auth.default();
  auth.initSync();
  const baseUrl = process.env.TVMAZE_API;
  const { token, confirmUrl } = await startAuth("alice@example.com", { baseUrl, emailConfirmation: false });
  const decided = await fetch(confirmUrl, { method: "POST", body: new URLSearchParams({ decision: "confirm" }) });
  if (!decided.ok) throw new Error(`confirm page answered ${decided.status}`);
  const { apiKey, username } = await waitForConfirmation(token, { baseUrl, intervalMs: 250, deadlineMs: 20_000 });
  const { level } = await validate(username, apiKey, { baseUrl });
  // A same-origin path means nothing in Node: refused before anything is sent.
  const refused = await startAuth("alice@example.com", { baseUrl: "/v1" }).then(() => null, (e) => e);
  if (!isTvmazeAuthError(refused) || refused.code !== "INVALID_ARGUMENT") throw new Error(`"/v1" in Node: ${refused}`);
  console.log(`tvmaze-auth ${version}: signed in as ${username} (${level})`);
}
main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
