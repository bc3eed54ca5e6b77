// One human sentence and one next step for every error code of the client, plus the
// page's own refusals. Kept apart from app.js so the wording is reviewed in one place.

/** @import { TvmazeAuthErrorCode } from "/pkg/tvmaze_auth.js" */

/** The page's own error codes. @typedef {"UNSAFE_CONFIRM_URL" | "MODULE_FAILED"} PageErrorCode */

/**
 * What the page shows for an error: the code (with the HTTP status when there was one),
 * a sentence, the next step and, for the page's own errors, a detail.
 * @typedef {{ code: string, sentence: string, next: string, detail: string }} Explained
 */

/**
 * Typed by the client's own code union, so a code added to the library fails the type
 * check here until it has its words.
 * @type {Readonly<Record<TvmazeAuthErrorCode | PageErrorCode | "UNKNOWN", readonly [string, string]>>}
 */
const MESSAGES = {
  INVALID_ARGUMENT: [
    "That email address (or API address) is not complete, so nothing was sent.",
    "Check the address, for example name@example.com, and try again.",
  ],
  EMAIL_NOT_CONFIRMED: [
    "This TVmaze account has not confirmed its email address yet.",
    "Open the welcome email from TVmaze and confirm your address, then try again.",
  ],
  EMAIL_NOT_FOUND: [
    "No TVmaze account uses this email address.",
    "Check the spelling, or create a free account on tvmaze.com first.",
  ],
  TOKEN_NOT_FOUND: [
    "This sign-in request is no longer valid: it was denied, it expired, or it was already used.",
    "Start again to get a new request.",
  ],
  INVALID_CREDENTIALS: ["TVmaze did not accept this API key.", "Forget it and sign in again."],
  RATE_LIMITED: ["TVmaze is asking this page to slow down.", "Wait a minute, then try again."],
  SERVER_ERROR: ["The TVmaze server had a problem answering.", "Try again in a few minutes."],
  BAD_RESPONSE: [
    "The server sent an answer this page does not understand.",
    "Try again; if it keeps happening, the API may have changed.",
  ],
  NETWORK: [
    "The API could not be reached.",
    "Check your connection. For the real API, TVmaze must also allow this page's address (CORS); for the stand-in, check the demo command is still running.",
  ],
  TIMEOUT: ["The API took too long to answer.", "Try again."],
  DEADLINE: ["Nobody confirmed the request in time.", "Start again, and confirm within a few minutes."],
  SIGNED_OUT: ["The sign-in was cancelled or signed out, here or in another tab.", "Start again whenever you like."],
  REQUEST_REFUSED: ["TVmaze refused this request for your account.", "Check what was asked for, then try again."],
  LOAD_FAILED: [
    "The sign-in module's WebAssembly could not be loaded.",
    "Reload the page; if it keeps failing, the server or the page's security policy is blocking tvmaze_auth_bg.wasm.",
  ],
  // The page's own codes, not the client's.
  UNSAFE_CONFIRM_URL: [
    "The API sent a confirm link to an unexpected address, so this page will not open it.",
    "Use the real TVmaze API or the local stand-in. The refused address is shown below.",
  ],
  MODULE_FAILED: [
    "The sign-in module could not be loaded.",
    "Reload the page; if it keeps failing, run the demo command again.",
  ],
  UNKNOWN: ["Something unexpected went wrong.", "Reload the page and try again."],
};

/**
 * The fields of `error` that explain() reads, each `unknown` until checked. Any value
 * may be thrown, so this accepts anything.
 * @param {unknown} error
 * @returns {{ code?: unknown, status?: unknown, retryAfterMs?: unknown, detail?: unknown }}
 */
function fieldsOf(error) {
  return typeof error === "object" && error !== null ? error : {};
}

/**
 * Explains an error. Only our own strings and the error's code and status are used;
 * the error's message is never shown, so nothing a server sent ends up in the page
 * except through the explicit `detail` below. Reads `code` whatever threw, not only
 * when isTvmazeAuthError(error): the page's own errors have codes too, and this
 * module stays free of the wasm package so Node tests it as it is.
 * @param {unknown} error
 * @returns {Explained}
 */
export function explain(error) {
  const { code: errorCode, status, retryAfterMs, detail } = fieldsOf(error);
  const code = typeof errorCode === "string" && isKnownCode(errorCode) ? errorCode : "UNKNOWN";
  const [sentence, next] = MESSAGES[code];
  let shownCode = code;
  if (typeof status === "number") shownCode += ` (HTTP ${status})`;
  let retry = "";
  if (code === "RATE_LIMITED" && typeof retryAfterMs === "number") {
    retry = ` TVmaze asked for ${Math.ceil(retryAfterMs / 1000)} s.`;
  }
  return { code: shownCode, sentence, next: next + retry, detail: typeof detail === "string" ? detail : "" };
}

/**
 * hasOwn, not `in`: "toString" or "__proto__" are in every object, and would make
 * MESSAGES[code] a function or the prototype instead of a sentence.
 * @param {string} code
 * @returns {code is keyof typeof MESSAGES}
 */
function isKnownCode(code) {
  return Object.hasOwn(MESSAGES, code);
}

/**
 * A page-level error with a code from the table above.
 * @param {PageErrorCode} code
 * @param {string} [detail]
 */
export function pageError(code, detail = "") {
  return Object.assign(new Error(code), { code, detail });
}
