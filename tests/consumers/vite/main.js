import { openSession } from "tvmaze-auth";
import { signIn } from "../shared/flow.js";

// A production build orders the package's modules its own way: a session opened from
// the package's main entry must work in it too (the glue and the session's shell
// import each other).
async function sessionOpens(baseUrl) {
  const session = openSession({ baseUrl, storage: "memory", name: "vite-consumer" });
  await session.ready;
  return session.credentials === null;
}

window.run = async (baseUrl, options) => ({
  ...(await signIn(baseUrl, window.confirmInHarness, options)),
  sessionOpens: await sessionOpens(baseUrl),
});
