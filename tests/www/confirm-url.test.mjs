// checkConfirmUrl is the page's only guard before sending a user to a confirm page, so
// each refusal here stands for a phishing route that must stay closed, and each
// acceptance for a real confirm page that must keep working.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkConfirmUrl } from "../../www/confirm-url.js";

const REAL_API = "https://api.tvmaze.com/v1";
const STANDIN_API = "http://127.0.0.1:8081/v1";

/** Asserts a refusal that a user can act on: it names what was refused and why. */
function assertRefused(refusal, { names, because }) {
  assert.equal(typeof refusal, "string", "expected a refusal sentence, got acceptance");
  assert.match(refusal, /^Refused /);
  assert.ok(refusal.includes(names), `refusal should name ${names}: ${refusal}`);
  assert.match(refusal, because);
  // "Refused null" is what an opaque origin prints; it tells the user nothing.
  assert.doesNotMatch(refusal, /\bnull\b|undefined/);
  assert.match(refusal, /\.$/, "a sentence ends with a full stop");
}

describe("checkConfirmUrl with the real API", () => {
  for (const url of [
    "https://tvmaze.com/confirm/abc",
    "https://www.tvmaze.com/confirm/abc",
    "https://deep.sub.tvmaze.com/x?y=1#z",
    "https://TVMAZE.com/confirm/abc", // hosts are case-insensitive; URL lowercases them
    "https://tvmaze.com:443/confirm/abc",
  ]) {
    it(`accepts ${url}`, () => {
      assert.equal(checkConfirmUrl(url, REAL_API, false), null);
    });
  }

  const tvmazeRule = /https addresses on tvmaze\.com/;
  for (const [url, names] of [
    ["http://tvmaze.com/confirm/abc", "http://tvmaze.com"],
    ["https://tvmaze.com:8443/confirm/abc", "https://tvmaze.com:8443"],
    ["https://evil-tvmaze.com/confirm/abc", "https://evil-tvmaze.com"],
    ["https://tvmaze.com.evil.org/confirm/abc", "https://tvmaze.com.evil.org"],
    ["https://eviltvmaze.com/confirm/abc", "https://eviltvmaze.com"],
    ["https://tvmaze.com./confirm/abc", "https://tvmaze.com."],
    ["http://127.0.0.1:8081/confirm/abc", "http://127.0.0.1:8081"], // stand-in not selected
    ["javascript:alert(document.cookie)", "javascript:"],
    ["data:text/html,<script>alert(1)</script>", "data:"],
    ["ftp://tvmaze.com/confirm/abc", "ftp:"],
  ]) {
    it(`refuses ${url}`, () => {
      assertRefused(checkConfirmUrl(url, REAL_API, false), { names, because: tvmazeRule });
    });
  }

  for (const url of [
    "https://user:pass@tvmaze.com/confirm/abc",
    "https://user@tvmaze.com/confirm/abc",
    "https://tvmaze.com@evil.org/confirm/abc", // looks like tvmaze.com, host is evil.org
  ]) {
    it(`refuses userinfo in ${url}`, () => {
      assertRefused(checkConfirmUrl(url, REAL_API, false), {
        names: new URL(url).origin,
        because: /user name or password/,
      });
    });
  }

  for (const url of ["", "not a url", "//tvmaze.com/confirm/abc", "https://", "tvmaze.com/confirm"]) {
    it(`refuses garbage ${JSON.stringify(url)}`, () => {
      assertRefused(checkConfirmUrl(url, REAL_API, false), {
        names: `"${url}"`,
        because: /not a web address/,
      });
    });
  }
});

describe("checkConfirmUrl with the stand-in", () => {
  it("accepts the stand-in API's exact origin", () => {
    assert.equal(checkConfirmUrl("http://127.0.0.1:8081/confirm/abc", STANDIN_API, true), null);
  });

  const standinRule = /stand-in's confirm pages are on http:\/\/127\.0\.0\.1:8081/;
  for (const [url, names] of [
    ["http://127.0.0.1:8082/confirm/abc", "http://127.0.0.1:8082"],
    ["http://127.0.0.1/confirm/abc", "http://127.0.0.1"],
    ["https://127.0.0.1:8081/confirm/abc", "https://127.0.0.1:8081"],
    ["http://localhost:8081/confirm/abc", "http://localhost:8081"],
    ["https://tvmaze.com/confirm/abc", "https://tvmaze.com"],
    ["javascript:alert(1)", "javascript:"],
    ["data:text/html,hi", "data:"],
  ]) {
    it(`refuses ${url}`, () => {
      assertRefused(checkConfirmUrl(url, STANDIN_API, true), { names, because: standinRule });
    });
  }

  it("refuses userinfo even on the stand-in's origin", () => {
    assertRefused(checkConfirmUrl("http://u:p@127.0.0.1:8081/confirm/abc", STANDIN_API, true), {
      names: "http://127.0.0.1:8081",
      because: /user name or password/,
    });
  });
});

describe("checkConfirmUrl with the stand-in behind a same-origin base", () => {
  // The page's origin when the stand-in serves it with --proxy-api.
  const page = "http://127.0.0.1:8080/";
  it("accepts the page's own origin and refuses the API origin", (t) => {
    t.after(() => delete globalThis.location);
    globalThis.location = new URL(page);
    assert.equal(checkConfirmUrl("http://127.0.0.1:8080/confirm/abc", "/v1", true), null);
    assertRefused(checkConfirmUrl("http://127.0.0.1:8081/confirm/abc", "/v1", true), {
      names: "http://127.0.0.1:8081",
      because: /confirm pages are on http:\/\/127\.0\.0\.1:8080\./,
    });
  });
});
