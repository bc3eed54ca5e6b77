// The demo around <tvmaze-sign-in>: the element does the sign-in; this file only points
// it at the API and confirm mode chosen on the page and shows what its events carry.
import "/pkg/element.js";

const TVMAZE_API = "https://api.tvmaze.com/v1";
/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const element = document.createElement("tvmaze-sign-in");
const api = /** @type {HTMLSelectElement} */ ($("api"));
const modes = /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("input[name=mode]"));

/** From /demo-config.json, when the stand-in serves this page. @type {string | null} */
let standinApiBase = null;
/** The key received, shown only when asked for. */
let apiKey = "";

/** Points the element at the chosen API and mode (they apply from the next sign-in). */
function configure() {
  const standin = api.value === "standin" && standinApiBase !== null;
  element.setAttribute("base-url", standin && standinApiBase ? standinApiBase : TVMAZE_API);
  const mode = [...modes].find((m) => m.checked)?.value ?? "new-tab";
  element.setAttribute("confirm", mode);
  $("api-note").textContent = standin
    ? "Users: alice@example.com, bob@example.com; carol@example.com has not confirmed her address."
    : "TVmaze must allow this page's address (CORS) for the real API to answer.";
  $("outbox-hint").hidden = !(standin && mode === "email");
  // The stand-in's outbox, on the demo's own origin.
  /** @type {HTMLAnchorElement} */ ($("outbox-link")).href = new URL("/demo-outbox.json", location.href).href;
}

/** @param {boolean} shown */
function showKey(shown) {
  $("key").textContent = shown ? apiKey : "•".repeat(Math.min(apiKey.length, 32));
  $("reveal").textContent = shown ? "Hide" : "Show";
  $("reveal").setAttribute("aria-pressed", String(shown));
}

element.addEventListener("tvmaze-signed-in", (e) => {
  apiKey = e.detail.apiKey;
  $("username").textContent = e.detail.username;
  $("level").textContent = e.detail.level[0].toUpperCase() + e.detail.level.slice(1);
  showKey(false);
  $("received").hidden = false;
  $("last-error").hidden = true;
});
element.addEventListener("tvmaze-signed-out", () => {
  apiKey = "";
  $("received").hidden = true;
});
element.addEventListener("tvmaze-error", (e) => {
  $("error-code").textContent = e.detail.status ? `${e.detail.code} (HTTP ${e.detail.status})` : e.detail.code;
  $("last-error").hidden = false;
});
$("reveal").addEventListener("click", () => showKey($("reveal").getAttribute("aria-pressed") !== "true"));
api.addEventListener("change", configure);
for (const mode of modes) mode.addEventListener("change", configure);

try {
  const response = await fetch("/demo-config.json");
  if (response.ok) standinApiBase = (await response.json()).standinApiBase ?? null;
} catch {
  // Served by something other than the stand-in: only the real API is on offer.
}
if (standinApiBase === null) {
  api.value = "tvmaze";
  /** @type {HTMLOptionElement} */ ($("api-standin")).disabled = true;
}
configure();
$("sign-in-slot").replaceWith(element);
document.body.dataset.ready = "true";
