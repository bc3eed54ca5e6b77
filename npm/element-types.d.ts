// The declarations of tvmaze-auth/element (npm/element.js): the <tvmaze-sign-in> element,
// its events, and their place in the DOM's tag and event maps, so
// `document.querySelector("tvmaze-sign-in")` and
// `addEventListener("tvmaze-signed-in", (e) => e.detail.apiKey)` type-check.
import type { SessionCredentials, SignOutReason, TvmazeAuthError, TvmazeAuthErrorCode, TvmazeSession } from "./tvmaze_auth.js";

/** The element's tag name. */
export declare const TAG: "tvmaze-sign-in";

/** Every word the element shows (English by default); see {@link TvmazeSignInElement.strings}. */
export interface TvmazeSignInStrings {
  emailLabel: string;
  emailPlaceholder: string;
  submit: string;
  loading: string;
  cancel: string;
  signOut: string;
  openConfirmPage: string;
  waitingNewTab: string;
  waitingBlocked: string;
  waitingSameTab: string;
  waitingEmail: string;
  waitingOther: string;
  waitingStatus: string;
  /** `{username}` is replaced by the user's name. */
  signedIn: string;
  levelNone: string;
  levelBronze: string;
  levelSilver: string;
  levelGold: string;
  signedOut: string;
  cancelled: string;
  signedOutOtherTab: string;
  signedOutRevoked: string;
  signedOutExpired: string;
  /** For each error code, a sentence and the way forward. */
  errors: Readonly<Record<TvmazeAuthErrorCode | "UNKNOWN", readonly [string, string]>>;
}

/** Some of the words, to override the defaults with. */
export type TvmazeSignInStringsOverride = Partial<Omit<TvmazeSignInStrings, "errors">> & {
  errors?: Partial<TvmazeSignInStrings["errors"]>;
};

/** The English words the element shows unless told otherwise. */
export declare const DEFAULT_STRINGS: Readonly<TvmazeSignInStrings>;

/** `tvmaze-signed-in`'s detail: who signed in, their key and premium level. */
export interface TvmazeSignedInDetail {
  username: string;
  apiKey: string;
  level: SessionCredentials["level"];
}

/** `tvmaze-signed-out`'s detail. */
export interface TvmazeSignedOutDetail {
  reason: SignOutReason;
}

/** The element's events (they bubble and cross shadow roots). */
export interface TvmazeSignInEventMap {
  /** Signed in: here, in another tab, or found stored when the element loaded. */
  "tvmaze-signed-in": CustomEvent<TvmazeSignedInDetail>;
  /** Signed out or a pairing given up, and why. */
  "tvmaze-signed-out": CustomEvent<TvmazeSignedOutDetail>;
  /** A sign-in failed; the element shows what to do. */
  "tvmaze-error": CustomEvent<TvmazeAuthError>;
}

/**
 * `<tvmaze-sign-in>`: the email form, the waiting state, the signed-in state and every
 * error, over {@link TvmazeSession}. Attributes: `base-url`, `confirm` ("new-tab" default,
 * "same-tab", "email"), `storage` ("local" default, "session", "memory"), `name`; a change
 * takes effect for the next sign-in.
 *
 * @example
 * ```html
 * <script type="module">import "tvmaze-auth/element";</script>
 * <tvmaze-sign-in></tvmaze-sign-in>
 * <script type="module">
 *   document.addEventListener("tvmaze-signed-in", (e) => console.log(e.detail.username));
 * </script>
 * ```
 */
export declare class TvmazeSignInElement extends HTMLElement {
  static readonly observedAttributes: readonly string[];
  /** The signed-in user (with the key), or null. */
  readonly credentials: SessionCredentials | null;
  /** The session rendered, or null until the module has loaded (first focus, pointer or stored state). */
  readonly session: TvmazeSession | null;
  /** The words shown; assign a partial object to override some. */
  get strings(): Readonly<TvmazeSignInStrings>;
  set strings(value: TvmazeSignInStringsOverride);
  /** Signs out in every tab of the session. */
  signOut(): Promise<void>;
  addEventListener<K extends keyof TvmazeSignInEventMap>(
    type: K,
    listener: (this: TvmazeSignInElement, event: TvmazeSignInEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: TvmazeSignInElement, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof TvmazeSignInEventMap>(
    type: K,
    listener: (this: TvmazeSignInElement, event: TvmazeSignInEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: TvmazeSignInElement, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "tvmaze-sign-in": TvmazeSignInElement;
  }
  // The events bubble and are composed: listeners on any element, the document or the window see them.
  interface HTMLElementEventMap extends TvmazeSignInEventMap {}
  interface DocumentEventMap extends TvmazeSignInEventMap {}
  interface WindowEventMap extends TvmazeSignInEventMap {}
}
