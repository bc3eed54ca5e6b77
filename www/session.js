// What this tab remembers, in sessionStorage only: it survives a reload, Back and the
// same-tab trip to the confirm page, and dies with the tab. Nothing goes in the URL,
// where it would reach history, logs and Referer headers.

/**
 * How the user confirms: TVmaze's page in a new tab, TVmaze's page in this tab (the
 * page resumes when the user comes back), or a link TVmaze emails.
 * @typedef {"new-tab" | "same-tab" | "email"} Mode
 */

/**
 * A sign-in request in progress, as this page shows it (the library's session keeps the
 * pairing itself). `confirmUrl` is set, already checked, unless the mode is "email".
 * @typedef {{ apiBase: string, mode: Mode, startedAt: number, attempts: number, confirmUrl: string | null }} PendingRequest
 */

/**
 * Credentials and the API they belong to.
 * @typedef {{ username: string, apiKey: string, apiBase: string }} StoredCredentials
 */

const MODES = ["new-tab", "same-tab", "email"];

const PENDING = "tvmaze-auth-demo/pending";
const CREDENTIALS = "tvmaze-auth-demo/credentials";

// Storage can be disabled or full; the demo then simply forgets instead of failing.
/**
 * @param {string} key
 * @returns {unknown}
 */
function read(key) {
  try {
    const text = sessionStorage.getItem(key);
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * @param {string} key
 * @param {unknown} value
 */
function write(key, value) {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Not remembered: a reload will start over, which is safe.
  }
}

/** @param {string} key */
function remove(key) {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing stored, nothing to remove.
  }
}

/**
 * One JSON value under `key`, loaded only if `isValid` accepts it: storage is shared
 * with whatever else ran on this origin, and an old page version may have written it.
 * @template T
 * @param {string} key
 * @param {(value: unknown) => value is T} isValid
 */
function store(key, isValid) {
  return {
    /** @returns {T | null} */
    load() {
      const value = read(key);
      return isValid(value) ? value : null;
    },
    /** @param {T} value */
    save(value) {
      write(key, value);
    },
    clear() {
      remove(key);
    },
  };
}

/**
 * The own property `name` of `value`, or undefined when `value` is not an object.
 * @param {unknown} value
 * @param {string} name
 * @returns {unknown}
 */
function field(value, name) {
  return typeof value === "object" && value !== null ? Object.getOwnPropertyDescriptor(value, name)?.value : undefined;
}

/**
 * @param {unknown} value
 * @returns {value is PendingRequest}
 */
function isPendingRequest(value) {
  const confirmUrl = field(value, "confirmUrl");
  return (
    typeof field(value, "apiBase") === "string" &&
    MODES.includes(String(field(value, "mode"))) &&
    typeof field(value, "startedAt") === "number" &&
    typeof field(value, "attempts") === "number" &&
    (confirmUrl === null || typeof confirmUrl === "string")
  );
}

/**
 * @param {unknown} value
 * @returns {value is StoredCredentials}
 */
function isStoredCredentials(value) {
  return ["username", "apiKey", "apiBase"].every((name) => typeof field(value, name) === "string");
}

/** A sign-in request in progress. */
export const pending = store(PENDING, isPendingRequest);

/** Credentials the user asked this tab to remember. */
export const credentials = store(CREDENTIALS, isStoredCredentials);
