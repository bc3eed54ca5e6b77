// <tvmaze-sign-in>: sign-in with one tag. `import "tvmaze-auth/element"` defines it.
// It renders a session (openSession) and binds the DOM; every decision (when to poll,
// what the stored record means, when a pairing ends) stays the session's. Plain
// JavaScript checked by TypeScript (npm/tsconfig.json), not Rust through web-sys: the
// element only renders and binds DOM APIs, and web-sys bindings for them would add wasm
// bytes to every user of the functions; docs/size.md has the element's own size.
//
// In Node or during server-side rendering there is no HTMLElement or customElements:
// importing this module then defines nothing and throws nothing.
// session.js first: it and tvmaze_auth.js import each other, and a bundler that hoists
// modules (Rollup, so Vite's build) must evaluate tvmaze_auth.js before session.js reads
// its namespace, which this order gives.
import { openSession } from "./session.js";
import init from "./tvmaze_auth.js";

/**
 * @import { SessionOptions, SessionState, SignOutReason, TvmazeAuthError,
 *   TvmazeAuthErrorCode, TvmazeSession, TvmazeSessionChangeEvent } from "./tvmaze_auth.js"
 */

/** The element's name. */
export const TAG = "tvmaze-sign-in";

/**
 * Every word the element shows, English by default; set `element.strings` to a partial
 * copy to change some. Errors: a sentence and the way forward, by code.
 */
export const DEFAULT_STRINGS = Object.freeze({
  emailLabel: "Email address of your TVmaze account",
  emailPlaceholder: "name@example.com",
  submit: "Sign in with TVmaze",
  loading: "Loading…",
  cancel: "Cancel",
  signOut: "Sign out",
  openConfirmPage: "Open the TVmaze confirm page",
  waitingNewTab: "Confirm the sign-in on the TVmaze page that opened in a new tab, then come back here.",
  waitingBlocked:
    "Your browser blocked the new tab. Open the TVmaze confirm page with the link below and confirm there.",
  waitingSameTab: "Confirm the sign-in on the TVmaze page; you will come back here afterwards.",
  waitingEmail: "TVmaze emailed you a link. Open it and confirm the sign-in; this page continues by itself.",
  waitingOther: "A sign-in is waiting for you to confirm it on TVmaze.",
  waitingStatus: "Waiting for your confirmation on TVmaze.",
  /** `{username}` is replaced. */
  signedIn: "Signed in to TVmaze as {username}.",
  levelNone: "Free account",
  levelBronze: "Premium: Bronze",
  levelSilver: "Premium: Silver",
  levelGold: "Premium: Gold",
  signedOut: "Signed out.",
  cancelled: "Sign-in cancelled.",
  signedOutOtherTab: "Signed out in another tab.",
  signedOutRevoked: "TVmaze no longer accepts your key (it may have been reset). Sign in again.",
  signedOutExpired: "The sign-in request was denied or expired. Start again to get a new one.",
  errors: /** @type {Readonly<Record<TvmazeAuthErrorCode | "UNKNOWN", readonly [string, string]>>} */ ({
    INVALID_ARGUMENT: [
      "That email address is not complete, so nothing was sent.",
      "Check it, for example name@example.com, and try again.",
    ],
    EMAIL_NOT_CONFIRMED: [
      "This TVmaze account has not confirmed its email address yet.",
      "Open the welcome email from TVmaze, confirm your address, then try again.",
    ],
    EMAIL_NOT_FOUND: [
      "No TVmaze account uses this email address.",
      "Check the spelling, or create a free account on tvmaze.com first.",
    ],
    TOKEN_NOT_FOUND: [
      "This sign-in request is no longer valid: it was denied, it expired or it was already used.",
      "Try again to get a new request.",
    ],
    INVALID_CREDENTIALS: ["TVmaze did not accept the key.", "Sign in again."],
    RATE_LIMITED: ["TVmaze is asking this page to slow down.", "Wait a minute, then try again."],
    SERVER_ERROR: ["The TVmaze server had a problem answering.", "Try again in a few minutes."],
    BAD_RESPONSE: [
      "TVmaze sent an answer this page does not understand.",
      "Try again; if it keeps happening, tell the site's owner.",
    ],
    NETWORK: ["TVmaze could not be reached.", "Check your connection, then try again."],
    TIMEOUT: ["TVmaze took too long to answer.", "Try again."],
    DEADLINE: ["Nobody confirmed the sign-in in time.", "Try again, and confirm within a few minutes."],
    SIGNED_OUT: ["The sign-in was cancelled, here or in another tab.", "Start again whenever you like."],
    REQUEST_REFUSED: ["TVmaze refused the request for your account.", "Try again later."],
    LOAD_FAILED: [
      "The sign-in module could not be loaded.",
      "Check your connection and try again; if it keeps failing, tell the site's owner.",
    ],
    NOT_INITIALIZED: ["The sign-in module had not loaded yet.", "Try again."],
    UNKNOWN: ["Something unexpected went wrong.", "Reload the page and try again."],
  }),
});

/** @typedef {typeof DEFAULT_STRINGS} Strings */
/** @typedef {"new-tab" | "same-tab" | "email"} ConfirmMode */
/** @typedef {"loading" | "form" | "waiting" | "signed-in"} View */

const STYLE = `
:host {
  --_bg: var(--tvmaze-sign-in-background, #ffffff);
  --_fg: var(--tvmaze-sign-in-color, #1b1b1f);
  --_muted: var(--tvmaze-sign-in-muted-color, #4a4a55);
  --_accent: var(--tvmaze-sign-in-accent, #2d5b3e);
  --_on-accent: var(--tvmaze-sign-in-on-accent, #ffffff);
  --_border: var(--tvmaze-sign-in-border-color, #767682);
  --_error: var(--tvmaze-sign-in-error-color, #a4161a);
  --_error-bg: var(--tvmaze-sign-in-error-background, #fdecec);
  --_focus: var(--tvmaze-sign-in-focus-color, #1a5fb4);
  --_radius: var(--tvmaze-sign-in-radius, 6px);
  display: block;
  box-sizing: border-box;
  max-width: 100%;
  min-width: 0;
  padding: 1rem;
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  background: var(--_bg);
  color: var(--_fg);
  font: var(--tvmaze-sign-in-font, 1rem/1.5 system-ui, sans-serif);
}
@media (prefers-color-scheme: dark) {
  :host {
    --_bg: var(--tvmaze-sign-in-background, #1e1f24);
    --_fg: var(--tvmaze-sign-in-color, #ececf1);
    --_muted: var(--tvmaze-sign-in-muted-color, #c2c2cc);
    --_accent: var(--tvmaze-sign-in-accent, #8fd4a6);
    --_on-accent: var(--tvmaze-sign-in-on-accent, #0d1f14);
    --_border: var(--tvmaze-sign-in-border-color, #8b8b96);
    --_error: var(--tvmaze-sign-in-error-color, #ffb3b3);
    --_error-bg: var(--tvmaze-sign-in-error-background, #3a1d1f);
    --_focus: var(--tvmaze-sign-in-focus-color, #99c1f1);
  }
}
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: inherit; }
[hidden] { display: none !important; }
p { margin: 0 0 0.75rem; overflow-wrap: anywhere; }
label { display: block; margin-bottom: 0.25rem; font-weight: 600; }
input {
  display: block; width: 100%; min-width: 0; margin-bottom: 0.75rem; padding: 0.5rem 0.6rem;
  border: 1px solid var(--_border); border-radius: var(--_radius);
  background: var(--_bg); color: var(--_fg); font: inherit;
}
.row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
button {
  min-height: 2.5rem; padding: 0.45rem 1rem; border: 1px solid var(--_accent); border-radius: var(--_radius);
  background: var(--_accent); color: var(--_on-accent); font: inherit; font-weight: 600; cursor: pointer;
}
button.secondary { background: transparent; color: var(--_fg); border-color: var(--_border); }
button:disabled { opacity: 0.7; cursor: progress; }
a { color: inherit; font-weight: 600; }
:focus-visible, [tabindex="-1"]:focus { outline: 3px solid var(--_focus); outline-offset: 2px; }
.muted { color: var(--_muted); }
[part~="error"]:not(:empty) {
  margin-bottom: 0.75rem; padding: 0.6rem 0.75rem; border-left: 4px solid var(--_error);
  border-radius: var(--_radius); background: var(--_error-bg); color: var(--_fg);
}
[part~="error"] strong { color: var(--_error); }
[part~="status"]:empty { display: none; }
[part~="status"] { margin: 0.75rem 0 0; color: var(--_muted); }
`;

const HTML = `
<div part="error" role="alert"></div>
<div data-view="loading" hidden><p class="muted" data-text="loading"></p></div>
<form part="form" data-view="form" novalidate>
  <label for="email" data-text="emailLabel"></label>
  <input part="input" id="email" name="email" type="email" autocomplete="email" inputmode="email" spellcheck="false">
  <div class="row"><button part="button submit" type="submit" data-text="submit"></button></div>
</form>
<div data-view="waiting" hidden>
  <p data-ref="instructions" tabindex="-1"></p>
  <p><a part="link confirm-link" data-ref="link" target="_blank" rel="noopener" data-text="openConfirmPage"></a></p>
  <div class="row"><button part="button cancel" class="secondary" type="button" data-ref="cancel" data-text="cancel"></button></div>
</div>
<div data-view="signed-in" hidden>
  <p data-ref="who" tabindex="-1"></p>
  <div class="row"><button part="button sign-out" class="secondary" type="button" data-ref="signOut" data-text="signOut"></button></div>
</div>
<p part="status" role="status" aria-live="polite"></p>
`;

/** Whether `e` is a TvmazeAuthError (checked as isTvmazeAuthError does, without the module). @param {unknown} e @returns {e is TvmazeAuthError} */
const isAuthError = (e) =>
  e instanceof Error &&
  e.name === "TvmazeAuthError" &&
  typeof (/** @type {{ code?: unknown }} */ (e).code) === "string";

/** Where the session keeps its record (npm/session.js): read only to decide whether to load the module at once. */
const recordKey = (/** @type {string} */ name) => `${name}/session`;

/**
 * The element's class. Only where the DOM exists: in Node the module exports a stand-in
 * base class's subclass that nothing registers.
 */
const Base = /** @type {typeof HTMLElement} */ (globalThis.HTMLElement ?? class {});

export class TvmazeSignInElement extends Base {
  static observedAttributes = ["base-url", "confirm", "storage", "name"];

  /** @type {Strings} */
  #strings = DEFAULT_STRINGS;
  /** @type {TvmazeSession | null} */
  #session = null;
  /** The options #session was opened with, as JSON: a change opens another for the next sign-in. */
  #opened = "";
  /** @type {Promise<void> | null} */
  #loading = null;
  /** @type {AbortController | null} The sign-in this element started, while it runs. */
  #signIn = null;
  /** @type {Window | null} The tab opened in the click, until the outcome. */
  #popup = null;
  /** Where #popup was sent. */
  #popupAt = "";
  /** Whether the popup was blocked, for the waiting words. */
  #blocked = false;
  /** The confirm mode of the sign-in started here, null for one resumed or another tab's. */
  /** @type {ConfirmMode | null} */
  #mode = null;
  /** Navigate this tab to the confirm page once it is known (same-tab, started here). */
  #navigate = false;
  /** @type {View} */
  #view = "form";
  /** What the last rendered signed-in state was, so events fire once per change. */
  /** @type {SessionState | null} */
  #state = null;
  #rendered = false;
  /** @type {AbortController | null} Listeners of the connected element. */
  #connection = null;
  /** @type {ShadowRoot} */
  #root;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    // A constructed sheet, not a <style>: a page whose CSP has no 'unsafe-inline' for
    // styles still styles the element.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    this.#root.adoptedStyleSheets = [sheet];
    const template = document.createElement("template");
    template.innerHTML = HTML;
    this.#root.append(template.content);
    this.#text();
  }

  /** The signed-in user (username, apiKey, level), or null. */
  get credentials() {
    return this.#session?.credentials ?? null;
  }

  /** The session this element renders, or null until the module has loaded. */
  get session() {
    return this.#session;
  }

  /** The words shown; assigning a partial object overrides those it names. */
  get strings() {
    return this.#strings;
  }

  set strings(value) {
    const given = /** @type {Partial<Strings> | null | undefined} */ (value) ?? {};
    this.#strings = { ...DEFAULT_STRINGS, ...given, errors: { ...DEFAULT_STRINGS.errors, ...given.errors } };
    this.#text();
    if (this.#rendered) this.#render(false);
  }

  /** Signs out in every tab of this session. */
  async signOut() {
    this.#cancelOwn();
    const session = await this.#ready();
    await session.signOut();
  }

  connectedCallback() {
    this.#connection?.abort();
    this.#connection = new AbortController();
    const on = { signal: this.#connection.signal };
    const $ = (/** @type {string} */ ref) =>
      /** @type {HTMLElement} */ (this.#root.querySelector(`[data-ref="${ref}"]`));
    this.#form().addEventListener("submit", (e) => this.#onSubmit(e), on);
    $("cancel").addEventListener("click", () => this.#cancel(), on);
    $("signOut").addEventListener("click", () => this.signOut().catch((e) => this.#fail(e)), on);
    // Preload the module when the user first points at or focuses the element.
    const preload = () => void this.#ready().catch(() => {});
    this.addEventListener("pointerenter", preload, { ...on, once: true });
    this.addEventListener("focusin", preload, { ...on, once: true });
    // Another tab started or finished a sign-in: load now to show it.
    globalThis.addEventListener(
      "storage",
      (e) => {
        if (!this.#session && e.key === recordKey(this.#options().name)) preload();
      },
      on,
    );
    if (this.#session) {
      this.#render(false);
    } else if (this.#stored()) {
      // A key or a pairing is stored: the module is needed now to show it.
      this.#show("loading", false);
      preload();
    } else {
      this.#show("form", false);
    }
    this.#rendered = true;
  }

  disconnectedCallback() {
    this.#connection?.abort();
    this.#connection = null;
  }

  attributeChangedCallback() {
    // Options take effect for the next sign-in (#ready opens a new session then).
  }

  // --- Session -------------------------------------------------------------------------

  /**
   * The attributes as session options.
   * @returns {SessionOptions & { storage: "local" | "session" | "memory", name: string }}
   */
  #options() {
    const storage = this.getAttribute("storage");
    return {
      baseUrl: this.getAttribute("base-url") || undefined,
      storage: storage === "session" || storage === "memory" ? storage : "local",
      name: this.getAttribute("name") || "tvmaze-auth",
    };
  }

  /** @returns {ConfirmMode} */
  #confirmMode() {
    const mode = this.getAttribute("confirm");
    return mode === "same-tab" || mode === "email" ? mode : "new-tab";
  }

  /** Whether the session's storage holds a record (a key or a pairing). */
  #stored() {
    const { storage, name } = this.#options();
    if (storage === "memory") return false;
    try {
      return Boolean((storage === "local" ? localStorage : sessionStorage).getItem(recordKey(name)));
    } catch {
      return false;
    }
  }

  /**
   * Loads the module once and opens the session with the current attributes, reopening
   * it when they changed and no sign-in is under way.
   * @returns {Promise<TvmazeSession>}
   */
  async #ready() {
    this.#loading ??= init().then(
      () => {},
      (e) => {
        this.#loading = null;
        throw e;
      },
    );
    await this.#loading;
    const options = this.#options();
    const key = JSON.stringify(options);
    if (this.#session && (key === this.#opened || this.#session.state !== "signed-out")) return this.#session;
    this.#session?.close();
    const session = openSession(options);
    this.#session = session;
    this.#opened = key;
    this.#state = null;
    session.addEventListener("change", (e) => this.#onChange(e));
    await session.ready;
    if (this.#session === session) this.#render(false);
    return session;
  }

  /** @param {TvmazeSessionChangeEvent} e */
  #onChange(e) {
    const session = this.#session;
    if (!session || e.target !== session) return;
    if (e.state === "pending" && session.pending) this.#toConfirmPage(session.pending.confirmUrl);
    if (e.state === "signed-out" && !this.#signIn) this.#closePopup();
    this.#render(this.#signIn !== null, e.reason);
  }

  /** Sends the tab opened in the click, or this tab (same-tab), to the confirm page. @param {string} url */
  #toConfirmPage(url) {
    const popup = this.#popup;
    if (popup && !popup.closed) {
      // Once: later changes of the pending state must not reload the page the user reads.
      if (this.#popupAt !== url) popup.location.href = url;
      this.#popupAt = url;
    } else if (this.#navigate) {
      this.#navigate = false;
      location.assign(url);
    }
  }

  #closePopup() {
    const popup = this.#popup;
    this.#popup = null;
    try {
      if (popup && !popup.closed) popup.close();
    } catch {
      // Already gone.
    }
  }

  /** @param {SubmitEvent} e */
  #onSubmit(e) {
    e.preventDefault();
    if (this.#signIn) return;
    const input = this.#input();
    const email = input.value.trim();
    this.#error(null);
    this.#status("");
    if (!email) {
      this.#fail(
        Object.assign(new Error("tvmaze-auth: no email address"), {
          name: "TvmazeAuthError",
          code: "INVALID_ARGUMENT",
        }),
      );
      return;
    }
    const mode = this.#confirmMode();
    this.#mode = mode;
    this.#blocked = false;
    this.#navigate = mode === "same-tab";
    // Opened now, in the click: a window.open after an await is blocked as a popup.
    // about:blank until the confirm page's address arrives. It keeps its opener: a
    // window that is not ours any more can be neither navigated nor closed from here.
    if (mode === "new-tab") {
      this.#popup = window.open("about:blank", "_blank");
      this.#popupAt = "";
      this.#blocked = !this.#popup;
    }
    const controller = new AbortController();
    this.#signIn = controller;
    this.#submitting(true);
    this.#ready()
      .then((session) => session.signIn(email, { emailConfirmation: mode === "email", signal: controller.signal }))
      .then(
        () => {
          if (this.#signIn === controller) this.#signIn = null;
          this.#closePopup();
          this.#render(true);
        },
        (error) => {
          if (this.#signIn === controller) this.#signIn = null;
          this.#closePopup();
          this.#navigate = false;
          if (!controller.signal.aborted) this.#fail(error);
          else this.#render(true);
        },
      )
      .finally(() => this.#submitting(false));
  }

  #cancel() {
    // Aborting our own sign-in gives its pairing up in every tab; a pairing resumed
    // after a reload or from another tab is given up as signOut does.
    if (this.#signIn) this.#cancelOwn();
    else this.#session?.signOut().catch((e) => this.#fail(e));
    this.#status(this.#strings.cancelled);
  }

  #cancelOwn() {
    this.#signIn?.abort();
    this.#signIn = null;
    this.#navigate = false;
    this.#closePopup();
  }

  /** Shows an error, tells the page, returns to the form. @param {unknown} error */
  #fail(error) {
    const known = isAuthError(error);
    if (known) this.dispatchEvent(new CustomEvent("tvmaze-error", { bubbles: true, composed: true, detail: error }));
    const errors = this.#strings.errors;
    const code = known && Object.hasOwn(errors, error.code) ? error.code : "UNKNOWN";
    const [sentence, next] = errors[code];
    this.#error([sentence, next]);
    this.#show("form", true);
    this.#input().focus();
  }

  // --- Rendering -------------------------------------------------------------------------

  /**
   * Renders the session's state, and on a change of it fires the element's events.
   * @param {boolean} moveFocus whether focus goes to the next thing to do
   * @param {SignOutReason} [reason]
   */
  #render(moveFocus, reason) {
    const session = this.#session;
    const state = session?.state ?? "signed-out";
    const before = this.#state;
    this.#state = state;
    const s = this.#strings;
    if (state === "signed-in" && session?.credentials) {
      const { username, apiKey, level } = session.credentials;
      const levels = { none: s.levelNone, bronze: s.levelBronze, silver: s.levelSilver, gold: s.levelGold };
      this.#ref("who").textContent = `${s.signedIn.replace("{username}", username)} ${levels[level]}.`;
      this.#error(null);
      this.#show("signed-in", moveFocus);
      if (before !== "signed-in") {
        this.#status(s.signedIn.replace("{username}", username));
        this.dispatchEvent(
          new CustomEvent("tvmaze-signed-in", { bubbles: true, composed: true, detail: { username, apiKey, level } }),
        );
      }
    } else if (state === "pending" && session?.pending) {
      const mode = this.#signIn ? this.#mode : null;
      const words =
        mode === "new-tab"
          ? this.#blocked
            ? s.waitingBlocked
            : s.waitingNewTab
          : mode === "same-tab"
            ? s.waitingSameTab
            : mode === "email"
              ? s.waitingEmail
              : s.waitingOther;
      this.#ref("instructions").textContent = words;
      const link = /** @type {HTMLAnchorElement} */ (this.#ref("link"));
      link.href = session.pending.confirmUrl;
      this.#show("waiting", moveFocus);
      if (before !== "pending") this.#status(s.waitingStatus);
    } else {
      if (this.#view !== "form") this.#show("form", moveFocus);
      if (before === "signed-in" || before === "pending") {
        const why = reason ?? "user";
        const words = {
          user: s.signedOut,
          "other-tab": s.signedOutOtherTab,
          revoked: s.signedOutRevoked,
          expired: s.signedOutExpired,
        };
        if (before === "signed-in" || why !== "user") this.#status(words[why]);
        if (why === "revoked" || why === "expired" || why === "other-tab") this.#error(null, words[why]);
        this.dispatchEvent(
          new CustomEvent("tvmaze-signed-out", { bubbles: true, composed: true, detail: { reason: why } }),
        );
      }
    }
  }

  /**
   * Shows one view; moves focus to what comes next when asked or when focus was inside.
   * @param {View} view
   * @param {boolean} moveFocus
   */
  #show(view, moveFocus) {
    const focusWasInside = this.#root.activeElement !== null;
    this.#view = view;
    for (const el of this.#root.querySelectorAll("[data-view]")) {
      /** @type {HTMLElement} */ (el).hidden = el.getAttribute("data-view") !== view;
    }
    if (!moveFocus && !focusWasInside) return;
    const next =
      view === "form"
        ? this.#input()
        : view === "waiting"
          ? this.#blocked && this.#signIn
            ? this.#ref("link")
            : this.#ref("instructions")
          : view === "signed-in"
            ? this.#ref("who")
            : null;
    next?.focus();
  }

  /** @param {boolean} busy */
  #submitting(busy) {
    const button = /** @type {HTMLButtonElement} */ (this.#form().querySelector("button"));
    button.disabled = busy;
    this.#input().readOnly = busy;
  }

  /** Fills the static words. */
  #text() {
    const s = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (this.#strings));
    for (const el of this.#root.querySelectorAll("[data-text]")) {
      el.textContent = String(s[el.getAttribute("data-text") ?? ""] ?? "");
    }
    this.#input().placeholder = this.#strings.emailPlaceholder;
  }

  /** @param {string} words */
  #status(words) {
    this.#ref("status").textContent = words;
  }

  /**
   * Shows an error (a sentence and the way forward), or clears it.
   * @param {readonly [string, string] | null} parts
   * @param {string} [plain] a single sentence instead
   */
  #error(parts, plain) {
    const box = this.#root.querySelector('[part~="error"]');
    if (!box) return;
    box.replaceChildren();
    if (parts) {
      const first = document.createElement("p");
      const strong = document.createElement("strong");
      strong.textContent = parts[0];
      first.append(strong);
      const second = document.createElement("p");
      second.textContent = parts[1];
      box.append(first, second);
    } else if (plain) {
      const only = document.createElement("p");
      only.textContent = plain;
      box.append(only);
    }
  }

  /** @param {string} name @returns {HTMLElement} */
  #ref(name) {
    if (name === "status") return /** @type {HTMLElement} */ (this.#root.querySelector('[part~="status"]'));
    return /** @type {HTMLElement} */ (this.#root.querySelector(`[data-ref="${name}"]`));
  }

  #form() {
    return /** @type {HTMLFormElement} */ (this.#root.querySelector("form"));
  }

  #input() {
    return /** @type {HTMLInputElement} */ (this.#root.querySelector("input"));
  }
}

if (globalThis.customElements && !customElements.get(TAG)) customElements.define(TAG, TvmazeSignInElement);
