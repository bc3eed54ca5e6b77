// What this tab remembers, in sessionStorage only: it survives a reload, Back and the
// same-tab trip to the confirm page, and dies with the tab. Nothing goes in the URL,
// where it would reach history, logs and Referer headers.

const PENDING = "tvmaze-auth-demo/pending";
const CREDENTIALS = "tvmaze-auth-demo/credentials";

// Storage can be disabled or full; the demo then simply forgets instead of failing.
function read(key) {
  try {
    const text = sessionStorage.getItem(key);
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Not remembered: a reload will start over, which is safe.
  }
}

function remove(key) {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing stored, nothing to remove.
  }
}

/** One JSON value under `key`, loaded only if each of `strings` is a string field. */
function store(key, strings) {
  return {
    load() {
      const value = read(key);
      return value && strings.every((field) => typeof value[field] === "string") ? value : null;
    },
    save(value) {
      write(key, value);
    },
    clear() {
      remove(key);
    },
  };
}

/** A sign-in request in progress: { token, apiBase, mode, startedAt, attempts, confirmUrl }. */
export const pending = store(PENDING, ["token", "apiBase"]);

/** Credentials the user asked this tab to remember: { username, apiKey, apiBase }. */
export const credentials = store(CREDENTIALS, ["username", "apiKey"]);
