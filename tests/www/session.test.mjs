// session.js reads the global sessionStorage at call time, so an in-memory stand-in on
// globalThis is enough; no DOM is needed. Each test installs a fresh one.

import { beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { credentials, pending } from "../../www/session.js";

/** A Map-backed subset of the Storage interface session.js uses. */
function memoryStorage() {
  const items = new Map();
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
  };
}

/** Storage that throws like a disabled or full one (SecurityError, QuotaExceededError). */
const brokenStorage = {
  getItem() {
    throw new Error("SecurityError");
  },
  setItem() {
    throw new Error("QuotaExceededError");
  },
  removeItem() {
    throw new Error("SecurityError");
  },
};

// The API key must die with the tab: any use of localStorage would outlive it.
const forbiddenStorage = new Proxy(
  {},
  {
    get() {
      throw new Error("localStorage must never be used");
    },
  },
);

const PENDING = {
  apiBase: "http://127.0.0.1:8081/v1",
  mode: "new-tab",
  startedAt: 1,
  attempts: 2,
  confirmUrl: "http://127.0.0.1:8081/confirm/t-123",
};
const CREDS = { username: "alice", apiKey: "k-SECRET", apiBase: "http://127.0.0.1:8081/v1" };

let storage;
beforeEach(() => {
  storage = memoryStorage();
  globalThis.sessionStorage = storage;
  globalThis.localStorage = forbiddenStorage;
});

describe("session.js", () => {
  it("loads nothing from empty storage", () => {
    assert.equal(pending.load(), null);
    assert.equal(credentials.load(), null);
  });

  it("round-trips a pending request and credentials, under separate keys", () => {
    pending.save(PENDING);
    credentials.save(CREDS);
    assert.deepEqual(pending.load(), PENDING);
    assert.deepEqual(credentials.load(), CREDS);
    assert.equal(storage.items.size, 2);
  });

  it("clears each one without touching the other", () => {
    pending.save(PENDING);
    credentials.save(CREDS);
    pending.clear();
    assert.equal(pending.load(), null);
    assert.deepEqual(credentials.load(), CREDS);
    credentials.clear();
    assert.equal(credentials.load(), null);
    assert.equal(storage.items.size, 0);
  });

  it("ignores stored values of the wrong shape", () => {
    const wrongPending = [
      { apiBase: 1, mode: "new-tab" },
      { mode: "new-tab" },
      { apiBase: "x" },
      { ...PENDING, mode: "standin" },
      { ...PENDING, mode: undefined },
      { ...PENDING, startedAt: "1" },
      { ...PENDING, attempts: null },
      { ...PENDING, confirmUrl: 5 },
    ];
    for (const bad of [null, 42, "text", [], ...wrongPending]) {
      pending.save(bad);
      assert.equal(pending.load(), null, `pending ${JSON.stringify(bad)}`);
    }
    for (const bad of [
      null,
      { username: "alice" },
      { apiKey: "k" },
      { username: "alice", apiKey: 5 },
      { ...CREDS, apiBase: 1 },
    ]) {
      credentials.save(bad);
      assert.equal(credentials.load(), null, `credentials ${JSON.stringify(bad)}`);
    }
  });

  it("loads every mode, and an email request without a confirm URL", () => {
    for (const mode of ["new-tab", "same-tab", "email"]) {
      const record = { ...PENDING, mode, confirmUrl: mode === "email" ? null : PENDING.confirmUrl };
      pending.save(record);
      assert.deepEqual(pending.load(), record);
    }
  });

  it("ignores stored text that is not JSON", () => {
    pending.save(PENDING);
    credentials.save(CREDS);
    for (const key of storage.items.keys()) storage.items.set(key, "{not json");
    assert.equal(pending.load(), null);
    assert.equal(credentials.load(), null);
  });

  it("forgets quietly when storage throws", () => {
    globalThis.sessionStorage = brokenStorage;
    assert.doesNotThrow(() => pending.save(PENDING));
    assert.doesNotThrow(() => credentials.save(CREDS));
    assert.equal(pending.load(), null);
    assert.equal(credentials.load(), null);
    assert.doesNotThrow(() => pending.clear());
    assert.doesNotThrow(() => credentials.clear());
  });

  it("forgets quietly when there is no sessionStorage at all", () => {
    delete globalThis.sessionStorage;
    assert.doesNotThrow(() => credentials.save(CREDS));
    assert.equal(credentials.load(), null);
    assert.doesNotThrow(() => credentials.clear());
  });
});
