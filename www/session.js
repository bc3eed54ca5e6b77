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

/** A sign-in request in progress: { token, apiBase, mode, startedAt, attempts, confirmUrl }. */
export const pending = {
  load() {
    const value = read(PENDING);
    return value && typeof value.token === "string" && typeof value.apiBase === "string" ? value : null;
  },
  save(value) {
    write(PENDING, value);
  },
  clear() {
    remove(PENDING);
  },
};

/** Credentials the user asked this tab to remember: { username, apiKey, apiBase }. */
export const credentials = {
  load() {
    const value = read(CREDENTIALS);
    return value && typeof value.username === "string" && typeof value.apiKey === "string" ? value : null;
  },
  save(value) {
    write(CREDENTIALS, value);
  },
  clear() {
    remove(CREDENTIALS);
  },
};
