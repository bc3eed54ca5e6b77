// The demo's flow: start a sign-in request, send the user to confirm it, wait for the
// confirmation, validate the key. The DOM lives in view.js, wording in errors.js and
// storage in session.js, so this file reads as the sequence a user goes through.
// The pairing runs in the library's session (openSession, kept in sessionStorage), so a
// reload, Back or a duplicated tab joins it: one tab polls, every tab gets the key.
import init, { openSession, validate, isTvmazeAuthError } from "/pkg/tvmaze_auth.js";
import { checkConfirmUrl } from "./confirm-url.js";
import { explain, pageError } from "./errors.js";
import { credentials, pending } from "./session.js";
import * as view from "./view.js";

/** @import { PollProgress, SessionCredentials, TvmazeSession } from "/pkg/tvmaze_auth.js" */
/** @import { PendingRequest, StoredCredentials } from "./session.js" */

const { el } = view;
const TVMAZE_API = "https://api.tvmaze.com/v1";
// The client never polls a non-loopback API faster than every 10 s (TVmaze's rule); the
// loopback stand-in may be polled faster, so trying the demo does not feel stuck.
const TVMAZE_INTERVAL_MS = 10000;
const STANDIN_INTERVAL_MS = 2000;

/** From /demo-config.json, when the stand-in serves this page. @type {string | null} */
let standinApiBase = null;
/** The request or wait in progress. @type {AbortController | null} */
let running = null;
/** Shown in the success panel. @type {StoredCredentials | null} */
let signedIn = null;
// Set while the page unloads: browsers fail its in-flight fetches then, and that
// failure must not wipe what the next page load resumes from.
let leaving = false;

/** @param {string} apiBase */
const isStandin = (apiBase) => standinApiBase !== null && apiBase === standinApiBase;
/** @param {string} apiBase */
const intervalFor = (apiBase) => (isStandin(apiBase) ? STANDIN_INTERVAL_MS : TVMAZE_INTERVAL_MS);
const selectedApi = () => (el.api.value === "standin" && standinApiBase ? standinApiBase : TVMAZE_API);
/**
 * Whether `error` is the abort of `controller` (it rejects with `signal.reason`, which
 * is not the library's error), as the README's error handling tells them apart.
 * @param {unknown} error
 * @param {AbortController} controller
 */
const isAbort = (error, controller) => controller.signal.aborted && !isTvmazeAuthError(error);

/** @type {Map<string, TvmazeSession>} One session per API. */
const sessions = new Map();
/**
 * The session that runs pairings against `apiBase`, in this tab's sessionStorage.
 * @param {string} apiBase
 */
function sessionFor(apiBase) {
  let session = sessions.get(apiBase);
  if (!session) {
    session = openSession({ baseUrl: apiBase, storage: "session", name: "tvmaze-auth-demo" });
    sessions.set(apiBase, session);
  }
  return session;
}
/** What the wait in progress wants to hear about each pending answer. @type {(p: PollProgress) => void} */
let onPollNow = () => {};

async function main() {
  el.form.addEventListener("submit", onStart);
  el.api.addEventListener("change", () => view.describeApi(standinApiBase));
  el.cancel.addEventListener("click", onCancel);
  el.reveal.addEventListener("click", onReveal);
  el.remember.addEventListener("change", onRemember);
  el.forget.addEventListener("click", onForget);
  el.retry.addEventListener("click", () => {
    view.showStart();
    view.status("");
    el.email.focus();
  });
  // Coming back with Back may restore this page from the back/forward cache, where no
  // load happens: resume from here too.
  addEventListener("pageshow", (event) => {
    leaving = false;
    if (event.persisted && el.moduleStatus.dataset.ready === "true") resume();
  });
  addEventListener("pagehide", () => {
    leaving = true;
  });

  standinApiBase = await loadStandinApiBase();
  view.configureApis(standinApiBase);
  try {
    await init();
  } catch {
    view.moduleReady(false);
    view.showError(explain(pageError("MODULE_FAILED")));
    return;
  }
  view.moduleReady(true);
  view.showStart();
  resume();
}

/**
 * The stand-in's demo server says where its API listens; elsewhere there is no stand-in.
 * @returns {Promise<string | null>}
 */
async function loadStandinApiBase() {
  try {
    const response = await fetch("/demo-config.json", { cache: "no-store" });
    /** @type {unknown} */
    const config = await response.json();
    return typeof config === "object" &&
      config !== null &&
      "standinApiBase" in config &&
      typeof config.standinApiBase === "string"
      ? config.standinApiBase
      : null;
  } catch {
    return null;
  }
}

/** Picks up where this tab stopped: remembered credentials, or a request still waiting. */
function resume() {
  if (running || signedIn) return;
  const remembered = credentials.load();
  if (remembered) {
    view.status("Welcome back. Checking the remembered key…");
    signIn(remembered, new AbortController(), true);
    return;
  }
  const record = pending.load();
  if (record) {
    view.selectApi(isStandin(record.apiBase) ? "standin" : "tvmaze");
    view.describeApi(standinApiBase);
    const controller = new AbortController();
    const outcome = sessionFor(record.apiBase).resume({ onPoll: (progress) => onPollNow(progress) });
    wait(record, controller, "Welcome back. Still waiting for your confirmation…", outcome);
  }
}

/** @param {SubmitEvent} event */
async function onStart(event) {
  event.preventDefault();
  if (running) return;
  const email = el.email.value;
  const mode = view.mode();
  const apiBase = selectedApi();
  // Opened now, synchronously inside the click: popup blockers allow a new tab only
  // during a user gesture, and after the await below that gesture is over. Not for an
  // address the client will refuse anyway (one "@" between non-empty parts), so a typo
  // does not flash a tab open and shut.
  const popup = mode === "new-tab" && /^[^@]+@[^@]+$/.test(email.trim()) ? openBlankTab() : null;
  const controller = new AbortController();
  running = controller;
  view.showStarting();

  const session = sessionFor(apiBase);
  const outcome = session.signIn(email, {
    emailConfirmation: mode === "email",
    signal: controller.signal,
    intervalMs: intervalFor(apiBase),
    onPoll: (progress) => onPollNow(progress),
  });
  let started;
  try {
    started = await pairingOf(session, outcome);
  } catch (error) {
    popup?.close();
    running = null;
    view.showError(explain(error));
    return;
  }

  /** @type {PendingRequest} */
  const record = { apiBase, mode, startedAt: started.startedAt, attempts: 0, confirmUrl: null };
  if (mode !== "email") {
    const refusal = checkConfirmUrl(started.confirmUrl, apiBase, isStandin(apiBase));
    if (refusal) {
      popup?.close();
      running = null;
      view.showError(explain(pageError("UNSAFE_CONFIRM_URL", refusal)));
      return;
    }
    record.confirmUrl = started.confirmUrl;
  }
  // Saved before the user can leave, so a reload, Back or the same-tab trip resumes.
  pending.save(record);

  // The same-tab trip: chosen, or the fallback when the browser blocked the new tab.
  if (mode === "same-tab" || (mode === "new-tab" && !popup)) {
    running = null;
    view.status(
      mode === "same-tab"
        ? "Going to TVmaze's confirm page. After confirming, come back here with Back."
        : "Your browser blocked the new tab, so this tab goes to the confirm page. After confirming, come back here with Back.",
    );
    location.assign(started.confirmUrl);
    return;
  }
  if (popup && !popup.closed) popup.location.replace(started.confirmUrl);
  const message =
    mode === "email"
      ? "Request sent. Waiting for you to follow the emailed link…"
      : "Request sent. Waiting for you to confirm in the new tab…";
  wait(record, controller, message, outcome);
}

/**
 * The pairing `session.signIn` started, once it is stored; rejects as the sign-in does
 * when it fails before that.
 * @param {TvmazeSession} session
 * @param {Promise<SessionCredentials>} outcome
 * @returns {Promise<{ confirmUrl: string, startedAt: number }>}
 */
function pairingOf(session, outcome) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const pending = session.pending;
      if (!pending) return;
      session.removeEventListener("change", check);
      resolve(pending);
    };
    session.addEventListener("change", check);
    outcome.then(
      () => reject(new Error("signed in without a pairing")),
      (error) => {
        session.removeEventListener("change", check);
        reject(error);
      },
    );
  });
}

/**
 * A blank tab to send to the confirm page later, or null when the browser blocked it.
 * @returns {Window | null}
 */
function openBlankTab() {
  const popup = window.open("about:blank", "_blank");
  if (!popup) return null;
  try {
    // The confirm page gets no handle on this page (no reverse tabnabbing).
    popup.opener = null;
    popup.document.title = "Opening TVmaze…";
    popup.document.body.textContent = "Opening TVmaze's confirm page…";
  } catch {
    // Cosmetic only.
  }
  return popup;
}

/**
 * Waits for the confirmation of `record` (the sign-in's `outcome`), then shows it.
 * @param {PendingRequest} record
 * @param {AbortController} controller
 * @param {string} message
 * @param {Promise<SessionCredentials | null>} outcome
 */
async function wait(record, controller, message, outcome) {
  running = controller;
  const intervalMs = intervalFor(record.apiBase);
  // The stand-in serves its simulated mailbox to this page's own origin only.
  const outboxUrl =
    record.mode === "email" && isStandin(record.apiBase) ? new URL("/demo-outbox.json", location.href).href : null;
  view.showWaiting({ mode: record.mode, confirmUrl: record.confirmUrl, outboxUrl, intervalMs, message });

  const clock = { attempts: record.attempts, startedAt: record.startedAt, nextPollAt: Date.now() + intervalMs };
  view.progress(clock);
  const ticker = setInterval(() => view.progress(clock), 250);
  // The pairing's count of polls, from whichever tab polls it.
  onPollNow = ({ attempt, nextPollInMs }) => {
    clock.attempts = attempt;
    clock.nextPollAt = Date.now() + nextPollInMs;
    view.progress(clock);
    pending.save({ ...record, attempts: attempt });
  };
  try {
    const creds = await outcome;
    pending.clear();
    clearInterval(ticker);
    if (!creds) {
      view.showStart();
      return;
    }
    // The session validated the key. This demo then keeps it its own way (masked, in
    // sessionStorage only if "Remember" is ticked), so it hands the session back: every
    // tab waiting for this pairing has its credentials by now.
    await sessionFor(record.apiBase).signOut();
    signedIn = { username: creds.username, apiKey: creds.apiKey, apiBase: record.apiBase };
    view.showSuccess(signedIn, creds.level, false);
  } catch (error) {
    // Cancelled (onCancel already updated the page), or the page is being left.
    if (isAbort(error, controller) || leaving) return;
    pending.clear();
    view.showError(explain(error));
  } finally {
    clearInterval(ticker);
    if (running === controller) running = null;
  }
}

/**
 * Validates `creds` and shows the success panel.
 * @param {StoredCredentials} creds
 * @param {AbortController} controller
 * @param {boolean} remembered whether they came from this tab's storage
 */
async function signIn(creds, controller, remembered) {
  running = controller;
  view.showValidating();
  try {
    const { level } = await validate(creds.username, creds.apiKey, {
      baseUrl: creds.apiBase,
      signal: controller.signal,
    });
    signedIn = creds;
    view.showSuccess(creds, level, remembered);
  } catch (error) {
    if (leaving || isAbort(error, controller)) return;
    if (isTvmazeAuthError(error) && error.code === "INVALID_CREDENTIALS") {
      // Only a refused key is worth forgetting.
      if (remembered) credentials.clear();
      view.showError(explain(error));
      return;
    }
    // A network, timeout or server error says nothing about the key, which may be the
    // only copy TVmaze will ever hand out: keep it, and say the level is unknown.
    signedIn = creds;
    view.showSuccess(creds, `not checked (${explain(error).sentence})`, remembered);
  } finally {
    if (running === controller) running = null;
  }
}

function onCancel() {
  running?.abort();
  running = null;
  // Gives the pairing up in every tab (a sign-in aborted by its signal does that too).
  const record = pending.load();
  if (record) sessionFor(record.apiBase).signOut();
  pending.clear();
  view.showStart();
  view.status("Cancelled. Nothing was signed in; start again whenever you like.");
  el.email.focus();
}

function onReveal() {
  if (!signedIn) return;
  view.setKey(signedIn.apiKey, el.key.dataset.revealed !== "true");
}

function onRemember() {
  if (signedIn && el.remember.checked) credentials.save(signedIn);
  else credentials.clear();
}

function onForget() {
  signedIn = null;
  credentials.clear();
  view.clearSuccess();
  view.showStart();
  view.status("Forgotten: the key is gone from this page and from this tab's storage.");
  el.email.focus();
}

main();
