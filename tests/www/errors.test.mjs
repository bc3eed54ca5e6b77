// errors.js is the only place the page turns an error into words. The list of codes is
// read from the client's reviewed .d.ts at test time, so a new code added to the client
// without a sentence here fails this test instead of showing "Something unexpected".

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { explain, pageError } from "../../www/errors.js";
import { errorCodes } from "../docs/error-codes.mjs";

const CODES = errorCodes();
const PAGE_CODES = ["UNSAFE_CONFIRM_URL", "MODULE_FAILED"];
const FALLBACK = explain({ code: "NO_SUCH_CODE" });

/** An error shaped like the client's rejections. */
function clientError(code, extra = {}) {
  return Object.assign(new Error(`${code}: details`), { name: "TvmazeAuthError", code }, extra);
}

describe("explain", () => {
  it("reads the client's codes from its TypeScript", () => {
    // The first, one in the middle and the last: the union is read whole.
    for (const code of ["INVALID_ARGUMENT", "NETWORK", "DEADLINE", "LOAD_FAILED"]) {
      assert.ok(CODES.includes(code), `${code} not in ${CODES.join(" ")}`);
    }
  });

  for (const code of [...CODES, ...PAGE_CODES]) {
    it(`has a sentence and a next step for ${code}`, () => {
      const { code: shown, sentence, next, detail } = explain(clientError(code));
      assert.equal(shown, code);
      for (const text of [sentence, next]) {
        assert.equal(typeof text, "string");
        assert.match(text, /^[A-Z].{3,}[.!?]$/, `not a sentence: ${JSON.stringify(text)}`);
      }
      assert.notEqual(sentence, next);
      assert.notEqual(sentence, FALLBACK.sentence, `${code} falls back to the unknown-error text`);
      assert.equal(detail, "");
    });
  }

  it("gives each code its own sentence", () => {
    const sentences = [...CODES, ...PAGE_CODES].map((code) => explain({ code }).sentence);
    assert.equal(new Set(sentences).size, sentences.length);
  });

  // Includes names every plain object inherits, which `code in TABLE` would accept.
  for (const error of [
    { code: "NO_SUCH_CODE" },
    { code: "network" },
    { code: "toString" },
    { code: "constructor" },
    { code: "__proto__" },
    { code: "hasOwnProperty" },
    { code: 42 },
    {},
    new Error("plain"),
    new TypeError("x is not a function"),
    null,
    undefined,
    "NETWORK",
    42,
  ]) {
    it(`falls back for ${String(error?.code ?? error)}`, () => {
      const explained = explain(error);
      assert.equal(explained.code, "UNKNOWN");
      assert.equal(explained.sentence, "Something unexpected went wrong.");
      assert.match(explained.next, /^[A-Z].{3,}\.$/);
      assert.equal(explained.detail, "");
    });
  }

  it("shows the HTTP status next to the code", () => {
    assert.equal(explain(clientError("SERVER_ERROR", { status: 503 })).code, "SERVER_ERROR (HTTP 503)");
    assert.equal(explain(clientError("SERVER_ERROR", { status: "503" })).code, "SERVER_ERROR");
  });

  it("adds the server's Retry-After to the next step, rounded up to seconds", () => {
    const { next } = explain(clientError("RATE_LIMITED", { status: 429, retryAfterMs: 1500 }));
    assert.match(next, /TVmaze asked for 2 s\.$/);
    assert.doesNotMatch(explain(clientError("RATE_LIMITED")).next, /asked for/);
    // retryAfterMs only means something for RATE_LIMITED.
    assert.doesNotMatch(explain(clientError("NETWORK", { retryAfterMs: 1500 })).next, /asked for/);
  });

  it("passes a page error's detail through", () => {
    const refusal = "Refused https://evil.org: TVmaze's confirm pages are https addresses on tvmaze.com.";
    const explained = explain(pageError("UNSAFE_CONFIRM_URL", refusal));
    assert.equal(explained.code, "UNSAFE_CONFIRM_URL");
    assert.equal(explained.detail, refusal);
  });

  it("never shows an API key carried anywhere in an error object", () => {
    const KEY = "k3y-5ecret-ABCDEF0123456789";
    for (const code of [...CODES, ...PAGE_CODES, "NO_SUCH_CODE"]) {
      const error = clientError(code, {
        message: `Basic auth for alice:${KEY} failed`,
        apiKey: KEY,
        username: `alice ${KEY}`,
        cause: { apiKey: KEY, message: KEY },
        body: `{"apikey":"${KEY}"}`,
        status: 401,
        retryAfterMs: 3000,
      });
      error.stack = `TvmazeAuthError: ${KEY}\n    at poll (${KEY})`;
      const shown = JSON.stringify(explain(error));
      assert.ok(!shown.includes(KEY), `${code} shows the key: ${shown}`);
      // Non-numbers in the numeric fields are not shown either.
      const odd = JSON.stringify(explain(clientError(code, { status: KEY, retryAfterMs: KEY })));
      assert.ok(!odd.includes(KEY), `${code} shows the key: ${odd}`);
    }
  });
});

describe("pageError", () => {
  it("makes an Error with the code and detail", () => {
    const error = pageError("MODULE_FAILED", "why");
    assert.ok(error instanceof Error);
    assert.equal(error.code, "MODULE_FAILED");
    assert.equal(error.detail, "why");
    assert.equal(pageError("MODULE_FAILED").detail, "");
  });
});
