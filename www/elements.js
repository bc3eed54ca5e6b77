// Every element the page's scripts use, by id and tag, looked up once at start-up. A
// missing or renamed element then stops the page at load with a message naming it,
// instead of a null that only fails when someone clicks. This file touches no DOM
// itself, so tests/www checks index.html against ELEMENTS in Node.

/** @typedef {keyof HTMLElementTagNameMap} Tag */

/** Name in `el` → [id in index.html, its tag name]. */
export const ELEMENTS = /** @type {const} */ ({
  moduleStatus: ["module-status", "p"],
  form: ["start-form", "form"],
  api: ["api", "select"],
  apiStandin: ["api-standin", "option"],
  apiNote: ["api-note", "p"],
  email: ["email", "input"],
  emailHint: ["email-hint", "p"],
  modeNewTab: ["mode-new-tab", "input"],
  modeSameTab: ["mode-same-tab", "input"],
  modeEmail: ["mode-email", "input"],
  startButton: ["start-button", "button"],
  status: ["status", "p"],
  start: ["start", "section"],
  waiting: ["waiting", "section"],
  waitingTitle: ["waiting-title", "h2"],
  waitingInstructions: ["waiting-instructions", "p"],
  confirmAgain: ["confirm-again", "p"],
  confirmLink: ["confirm-link", "a"],
  outboxHint: ["outbox-hint", "p"],
  outboxLink: ["outbox-link", "a"],
  attempts: ["attempts", "dd"],
  countdown: ["countdown", "dd"],
  elapsed: ["elapsed", "dd"],
  cancel: ["cancel", "button"],
  success: ["success", "section"],
  successTitle: ["success-title", "h2"],
  username: ["username", "dd"],
  level: ["level", "dd"],
  key: ["key", "code"],
  reveal: ["reveal", "button"],
  remember: ["remember", "input"],
  forget: ["forget", "button"],
  error: ["error", "section"],
  errorTitle: ["error-title", "h2"],
  errorMessage: ["error-message", "p"],
  errorNext: ["error-next", "p"],
  errorDetail: ["error-detail", "p"],
  errorCode: ["error-code", "code"],
  retry: ["retry", "button"],
});

/**
 * @template {Readonly<Record<string, readonly [string, Tag]>>} Spec
 * @typedef {{ readonly [Name in keyof Spec]: HTMLElementTagNameMap[Spec[Name][1]] }} Elements
 */

/**
 * Looks up every element of `spec` in `doc`, throwing an Error that names the first
 * one missing or of another tag.
 *
 * @template {Readonly<Record<string, readonly [string, Tag]>>} Spec
 * @param {Spec} spec
 * @param {Pick<Document, "getElementById">} doc
 * @returns {Elements<Spec>}
 */
export function lookUp(spec, doc) {
  /** @type {Record<string, Element>} */
  const found = {};
  for (const [name, [id, tag]] of Object.entries(spec)) {
    const element = doc.getElementById(id);
    if (!element) {
      throw new Error(`The page has no element with id "${id}" (the scripts use it as el.${name}).`);
    }
    if (element.localName !== tag) {
      throw new Error(`#${id} is a <${element.localName}>; the scripts need a <${tag}> (el.${name}).`);
    }
    found[name] = element;
  }
  // Each entry was just checked to be the element of its tag, which is what
  // HTMLElementTagNameMap says that tag's element is; TypeScript cannot follow the loop.
  return /** @type {Elements<Spec>} */ (/** @type {unknown} */ (found));
}
