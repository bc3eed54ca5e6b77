// Everything that touches the DOM. Text from the server (username, confirm URL) only
// ever goes through textContent or an href checked beforehand, never innerHTML.

import { ELEMENTS, lookUp } from "./elements.js";

/** @import { Explained } from "./errors.js" */
/** @import { Mode } from "./session.js" */

/** The page's elements, looked up once: a missing one stops the page at load. */
export const el = lookUp(ELEMENTS, document);

/** @type {Readonly<Record<string, string>>} */
const LEVELS = {
  none: "None (free account)",
  bronze: "Bronze",
  silver: "Silver",
  gold: "Gold",
};

/**
 * The screen.
 * @param {"start" | "starting" | "waiting" | "validating" | "success" | "error"} state
 */
function show(state) {
  document.body.dataset.state = state;
  el.start.hidden = !(state === "start" || state === "starting");
  el.waiting.hidden = state !== "waiting";
  el.success.hidden = state !== "success";
  el.error.hidden = state !== "error";
  el.startButton.disabled = state !== "start" || el.moduleStatus.dataset.ready !== "true";
}

/**
 * Moves keyboard focus to a panel's heading so screen readers and Tab continue there.
 * @param {HTMLHeadingElement} heading
 */
function focusHeading(heading) {
  heading.tabIndex = -1;
  heading.focus();
}

/** @param {string} text */
export function status(text) {
  el.status.textContent = text;
}

/** @param {boolean} ok */
export function moduleReady(ok) {
  el.moduleStatus.dataset.ready = ok ? "true" : "failed";
  el.moduleStatus.textContent = ok ? "Module ready" : "Module failed to load";
}

/** @param {string | null} standinApiBase */
export function configureApis(standinApiBase) {
  if (!standinApiBase) {
    el.apiStandin.disabled = true;
    el.apiStandin.textContent = "Local stand-in (not running)";
    el.api.value = "tvmaze";
  }
  describeApi(standinApiBase);
}

/** @param {string | null} standinApiBase */
export function describeApi(standinApiBase) {
  if (el.api.value === "standin") {
    el.apiNote.textContent = `A local copy of TVmaze's sign-in API at ${standinApiBase}, with made-up users. Nothing leaves this computer.`;
    el.emailHint.textContent =
      "Try alice@example.com or bob@example.com (carol@example.com has not confirmed her address).";
  } else {
    el.apiNote.textContent =
      "The real TVmaze API needs network access, a TVmaze account, and TVmaze's CORS answer allowing this page's address; without them you will see an error saying the API could not be reached.";
    el.emailHint.textContent = "The email address of your TVmaze account.";
  }
}

/** @param {"standin" | "tvmaze"} value */
export function selectApi(value) {
  el.api.value = value;
}

/** @returns {Mode} the checked way to confirm. */
export function mode() {
  if (el.modeSameTab.checked) return "same-tab";
  if (el.modeEmail.checked) return "email";
  return "new-tab";
}

export function showStart() {
  show("start");
}

export function showStarting() {
  show("starting");
  status("Asking TVmaze to start a sign-in request…");
}

/**
 * The waiting panel. `confirmUrl` (already checked) is offered again for a closed tab;
 * `outboxUrl` is set only for the stand-in's email mode.
 * @param {{ mode: Mode, confirmUrl: string | null, outboxUrl: string | null, intervalMs: number, message: string }} what
 */
export function showWaiting({ mode, confirmUrl, outboxUrl, intervalMs, message }) {
  const seconds = Math.round(intervalMs / 1000);
  el.waitingInstructions.textContent =
    mode === "email"
      ? `TVmaze is emailing you a link. Open it, confirm, and this page notices by itself (it checks every ${seconds} s).`
      : `Confirm on TVmaze's page, then come back to this tab. This page checks every ${seconds} s.`;
  el.confirmAgain.hidden = !confirmUrl;
  if (confirmUrl) el.confirmLink.href = confirmUrl;
  el.outboxHint.hidden = !outboxUrl;
  if (outboxUrl) el.outboxLink.href = outboxUrl;
  show("waiting");
  status(message);
  focusHeading(el.waitingTitle);
}

/** @param {{ attempts: number, nextPollAt: number, startedAt: number }} clock */
export function progress({ attempts, nextPollAt, startedAt }) {
  const now = Date.now();
  el.attempts.textContent = String(attempts);
  const left = Math.ceil((nextPollAt - now) / 1000);
  el.countdown.textContent = left > 0 ? `${left} s` : "checking…";
  el.elapsed.textContent = duration(now - startedAt);
}

/** @param {number} ms */
function duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes ? `${minutes} min ${String(seconds).padStart(2, "0")} s` : `${seconds} s`;
}

export function showValidating() {
  show("validating");
  status("Confirmed. Checking the key with TVmaze…");
}

/**
 * @param {{ username: string, apiKey: string }} creds
 * @param {string} level a level name ("none", "bronze", …) or a sentence saying why it is unknown
 * @param {boolean} remembered
 */
export function showSuccess({ username, apiKey }, level, remembered) {
  el.username.textContent = username;
  el.level.textContent = LEVELS[level] ?? level;
  el.remember.checked = remembered;
  setKey(apiKey, false);
  show("success");
  status(`Signed in as ${username}.`);
  focusHeading(el.successTitle);
}

/**
 * Masks the key unless revealed; the mask keeps the length so a user can compare.
 * @param {string} apiKey
 * @param {boolean} revealed
 */
export function setKey(apiKey, revealed) {
  el.key.textContent = revealed ? apiKey : "•".repeat(Math.min(apiKey.length, 32));
  el.key.dataset.revealed = String(revealed);
  el.reveal.setAttribute("aria-pressed", String(revealed));
  el.reveal.textContent = revealed ? "Hide" : "Show";
}

export function clearSuccess() {
  el.username.textContent = "";
  el.level.textContent = "";
  el.key.textContent = "";
  el.remember.checked = false;
}

/** @param {Explained} explained */
export function showError({ code, sentence, next, detail }) {
  el.errorMessage.textContent = sentence;
  el.errorNext.textContent = next;
  el.errorCode.textContent = code;
  el.errorDetail.textContent = detail;
  el.errorDetail.hidden = !detail;
  show("error");
  status(`${sentence} ${next}`);
  focusHeading(el.errorTitle);
}
