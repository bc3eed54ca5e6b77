// Everything that touches the DOM. Text from the server (username, confirm URL) only
// ever goes through textContent or an href checked beforehand, never innerHTML.

const $ = (id) => document.getElementById(id);

export const el = {
  moduleStatus: $("module-status"),
  form: $("start-form"),
  api: $("api"),
  apiStandin: $("api-standin"),
  apiNote: $("api-note"),
  email: $("email"),
  emailHint: $("email-hint"),
  startButton: $("start-button"),
  status: $("status"),
  start: $("start"),
  waiting: $("waiting"),
  waitingInstructions: $("waiting-instructions"),
  confirmAgain: $("confirm-again"),
  confirmLink: $("confirm-link"),
  outboxHint: $("outbox-hint"),
  outboxLink: $("outbox-link"),
  attempts: $("attempts"),
  countdown: $("countdown"),
  elapsed: $("elapsed"),
  cancel: $("cancel"),
  success: $("success"),
  username: $("username"),
  level: $("level"),
  key: $("key"),
  reveal: $("reveal"),
  remember: $("remember"),
  forget: $("forget"),
  error: $("error"),
  errorMessage: $("error-message"),
  errorNext: $("error-next"),
  errorDetail: $("error-detail"),
  errorCode: $("error-code"),
  retry: $("retry"),
};

const LEVELS = {
  none: "None (free account)",
  bronze: "Bronze",
  silver: "Silver",
  gold: "Gold",
};

/** The screen: one of start, starting, waiting, validating, success, error. */
function show(state) {
  document.body.dataset.state = state;
  el.start.hidden = !(state === "start" || state === "starting");
  el.waiting.hidden = state !== "waiting";
  el.success.hidden = state !== "success";
  el.error.hidden = state !== "error";
  el.startButton.disabled = state !== "start" || el.moduleStatus.dataset.ready !== "true";
}

// Moves keyboard focus to a panel's heading so screen readers and Tab continue there.
function focusHeading(panel) {
  const heading = panel.querySelector("h2");
  heading.tabIndex = -1;
  heading.focus();
}

export function status(text) {
  el.status.textContent = text;
}

export function moduleReady(ok) {
  el.moduleStatus.dataset.ready = ok ? "true" : "failed";
  el.moduleStatus.textContent = ok ? "Module ready" : "Module failed to load";
}

export function configureApis(standinApiBase) {
  if (!standinApiBase) {
    el.apiStandin.disabled = true;
    el.apiStandin.textContent = "Local stand-in (not running)";
    el.api.value = "tvmaze";
  }
  describeApi(standinApiBase);
}

export function describeApi(standinApiBase) {
  if (el.api.value === "standin") {
    el.apiNote.textContent = `A local copy of TVmaze's sign-in API at ${standinApiBase}, with made-up users. Nothing leaves this computer.`;
    el.emailHint.textContent = "Try alice@example.com or bob@example.com (carol@example.com has not confirmed her address).";
  } else {
    el.apiNote.textContent = "The real TVmaze API needs network access, a TVmaze account, and TVmaze's CORS answer allowing this page's address; without them you will see an error saying the API could not be reached.";
    el.emailHint.textContent = "The email address of your TVmaze account.";
  }
}

export function selectApi(value) {
  el.api.value = value;
}

export function mode() {
  return el.form.elements.mode.value;
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
  focusHeading(el.waiting);
}

export function progress({ attempts, nextPollAt, startedAt }) {
  const now = Date.now();
  el.attempts.textContent = String(attempts);
  const left = Math.ceil((nextPollAt - now) / 1000);
  el.countdown.textContent = left > 0 ? `${left} s` : "checking…";
  el.elapsed.textContent = duration(now - startedAt);
}

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

export function showSuccess({ username, apiKey }, level, remembered) {
  el.username.textContent = username;
  el.level.textContent = LEVELS[level] ?? level;
  el.remember.checked = remembered;
  setKey(apiKey, false);
  show("success");
  status(`Signed in as ${username}.`);
  focusHeading(el.success);
}

/** Masks the key unless revealed; the mask keeps the length so a user can compare. */
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

export function showError({ code, sentence, next, detail }) {
  el.errorMessage.textContent = sentence;
  el.errorNext.textContent = next;
  el.errorCode.textContent = code;
  el.errorDetail.textContent = detail;
  el.errorDetail.hidden = !detail;
  show("error");
  status(`${sentence} ${next}`);
  focusHeading(el.error);
}
