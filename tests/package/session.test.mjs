// openSession() in Node, from the package as it ships (target/npm/package, made by
// scripts/pack.sh): with "memory" storage (Node has no other) it signs in, signs
// requests to the user API, is signed out by a 401 with reason "revoked", and reads
// nothing it was not given. Against the local server of mixed-calls.mjs.
// Run: node --test tests/package/   (after scripts/pack.sh)
import { test } from "node:test";
import assert from "node:assert/strict";
import { openSession } from "../../target/npm/package/node.mjs";
import { mixedServer } from "./mixed-calls.mjs";

test("a memory session signs in, signs user-API requests and is signed out by a 401", async (t) => {
  const server = await mixedServer();
  t.after(() => server.close());
  const at = (mode) => `${server.url.origin}/${mode}/v1`;
  const session = openSession({ storage: "memory", baseUrl: at("pairing") });
  t.after(() => session.close());
  const changes = [];
  session.addEventListener("change", (e) => changes.push([e.state, e.reason]));
  await session.ready;
  assert.equal(session.state, "signed-out");

  const credentials = await session.signIn("a@b.example", { emailConfirmation: false, intervalMs: 0 });
  assert.deepEqual(
    { username: credentials.username, level: credentials.level, hasKey: credentials.apiKey.length > 0 },
    { username: "alice", level: "gold", hasKey: true },
  );
  assert.deepEqual(session.credentials, credentials);
  assert.deepEqual(changes, [["pending", undefined], ["signed-in", undefined]]);
  // Signed in already: a second signIn resolves at once, nothing sent.
  assert.deepEqual(await session.signIn("a@b.example"), credentials);

  // Signed requests: the parsed answer, or null for none.
  assert.deepEqual(await session.fetch("/user/follows/shows"), [{ show_id: 1 }, { show_id: 82 }]);
  assert.deepEqual(await session.fetch("/user/follows/shows/82", { method: "PUT" }), { show_id: 82 });
  assert.equal(await session.fetch("/user/follows/shows/82", { method: "DELETE" }), null);
  await assert.rejects(session.fetch("/auth/validate"), { code: "INVALID_ARGUMENT" });
  // A 401 (the user reset the key) signs the session out.
  await assert.rejects(session.fetch("/user/revoked"), { code: "INVALID_CREDENTIALS" });
  assert.equal(session.state, "signed-out");
  assert.deepEqual(changes.at(-1), ["signed-out", "revoked"]);
  await assert.rejects(session.fetch("/user/follows/shows"), { code: "SIGNED_OUT" });
});

test("sessions of one name and options in one page agree; other options are another session", async (t) => {
  const server = await mixedServer();
  t.after(() => server.close());
  const options = { storage: "memory", name: "shared", baseUrl: `${server.url.origin}/pairing/v1` };
  const a = openSession(options);
  const b = openSession(options);
  const other = openSession({ ...options, baseUrl: `${server.url.origin}/user/v1` });
  t.after(() => [a, b, other].forEach((s) => s.close()));
  const seen = new Promise((resolve) => b.addEventListener("change", (e) => e.state === "signed-in" && resolve(e)));
  await a.signIn("a@b.example", { emailConfirmation: false, intervalMs: 0 });
  await seen;
  assert.deepEqual(b.credentials, a.credentials);
  assert.equal(other.state, "signed-out");
  await b.signOut();
  assert.equal(a.state, "signed-out");
});

test("options are checked when the session opens", () => {
  assert.throws(() => openSession({ storage: "cookie" }), { code: "INVALID_ARGUMENT" });
  assert.throws(() => openSession({ name: "" }), { code: "INVALID_ARGUMENT" });
});
