// The element's browser test page (e2e/tests/element.rs): one <tvmaze-sign-in> from the
// packed package, pointed at the stand-in, its events logged for WebDriver in window.t.
// Query: confirm, storage, name (the element's attributes).
import "/pkg/element.js";

const query = new URLSearchParams(location.search);
const log = { events: [], requests: [] };
const t = { log, ready: false };
window.t = t;

// Which requests the page made (the wasm and the API), to check when the module loads.
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) log.requests.push(entry.name);
}).observe({ type: "resource", buffered: true });

const config = await (await fetch("/demo-config.json")).json();
const api = config.standinApiBase;
const element = document.createElement("tvmaze-sign-in");
element.setAttribute("base-url", api);
for (const name of ["confirm", "storage", "name"]) {
  const value = query.get(name);
  if (value) element.setAttribute(name, value);
}
for (const type of ["tvmaze-signed-in", "tvmaze-signed-out", "tvmaze-error"]) {
  // On the document: the events bubble out of the element and its shadow root.
  document.addEventListener(type, (e) => {
    const detail = e.detail ?? {};
    log.events.push({ type, username: detail.username, hasKey: typeof detail.apiKey === "string", level: detail.level, reason: detail.reason, code: detail.code });
  });
}
document.getElementById("slot").append(element);
t.element = element;
// The stand-in's decision for the pairing in progress, as the user's click on its page.
t.decide = async (decision) => {
  const token = element.session.pending.confirmUrl.split("/").pop();
  const headers = { "content-type": "application/x-www-form-urlencoded" };
  const origin = api.replace(/\/v1$/, "");
  return (await fetch(`${origin}/_standin/decide/${token}`, { method: "POST", headers, body: `decision=${decision}` })).status;
};
// What the element shows: its visible view, the status and error text, the focused part.
t.view = () => {
  const root = element.shadowRoot;
  const shown = [...root.querySelectorAll("[data-view]")].find((el) => !el.hidden);
  const active = root.activeElement;
  return {
    view: shown?.getAttribute("data-view") ?? null,
    text: shown?.textContent.replace(/\s+/g, " ").trim() ?? "",
    status: root.querySelector('[part~="status"]').textContent,
    error: root.querySelector('[part~="error"]').textContent,
    focus: active ? active.getAttribute("part") ?? active.getAttribute("data-ref") ?? active.tagName : null,
    link: root.querySelector('[data-ref="link"]').getAttribute("href"),
  };
};
t.ready = true;
