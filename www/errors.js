// One human sentence and one next step for every error code of the client, plus the
// page's own refusals. Kept apart from app.js so the wording is reviewed in one place.

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
  INVALID_CREDENTIALS: [
    "TVmaze did not accept this API key.",
    "Forget it and sign in again.",
  ],
  RATE_LIMITED: [
    "TVmaze is asking this page to slow down.",
    "Wait a minute, then try again.",
  ],
  SERVER_ERROR: [
    "The TVmaze server had a problem answering.",
    "Try again in a few minutes.",
  ],
  BAD_RESPONSE: [
    "The server sent an answer this page does not understand.",
    "Try again; if it keeps happening, the API may have changed.",
  ],
  NETWORK: [
    "The API could not be reached.",
    "Check your connection. For the real API, TVmaze must also allow this page's address (CORS); for the stand-in, check the demo command is still running.",
  ],
  TIMEOUT: [
    "The API took too long to answer.",
    "Try again.",
  ],
  DEADLINE: [
    "Nobody confirmed the request in time.",
    "Start again, and confirm within a few minutes.",
  ],
  NOT_INITIALIZED: [
    "The sign-in module was used before it finished loading.",
    "Reload the page and try again.",
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
  UNKNOWN: [
    "Something unexpected went wrong.",
    "Reload the page and try again.",
  ],
};

/**
 * Explains an error as { code, sentence, next }. Only our own strings and the
 * error's code and status are used; the error's message is never shown, so nothing
 * a server sent ends up in the page except through the explicit `detail` below.
 */
export function explain(error) {
  // hasOwn, not `in`: "toString" or "__proto__" are in every object and would throw below.
  const code = typeof error?.code === "string" && Object.hasOwn(MESSAGES, error.code) ? error.code : "UNKNOWN";
  const [sentence, next] = MESSAGES[code];
  let shownCode = code;
  if (typeof error?.status === "number") shownCode += ` (HTTP ${error.status})`;
  let retry = "";
  if (code === "RATE_LIMITED" && typeof error?.retryAfterMs === "number") {
    retry = ` TVmaze asked for ${Math.ceil(error.retryAfterMs / 1000)} s.`;
  }
  return { code: shownCode, sentence, next: next + retry, detail: error?.detail ?? "" };
}

/** A page-level error with a code from the table above. */
export function pageError(code, detail = "") {
  const error = new Error(code);
  error.code = code;
  error.detail = detail;
  return error;
}
