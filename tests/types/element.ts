// Type-level tests of the element's declarations (npm/element-types.d.ts, shipped as
// tvmaze-auth/element's element.d.ts), checked by `tsc -p tests/types` with the rest.
// Each line compiles, or carries `@ts-expect-error` and must not.
import {
  DEFAULT_STRINGS,
  TAG,
  TvmazeSignInElement,
  type TvmazeSignedInDetail,
  type TvmazeSignInEventMap,
  type TvmazeSignInStrings,
} from "../../npm/element-types.js";
import type { SessionCredentials, SignOutReason, TvmazeAuthErrorCode, TvmazeSession } from "../../pkg/tvmaze_auth.js";

// The tag map: querySelector and createElement know the element.
const found = document.querySelector("tvmaze-sign-in");
if (found) {
  const el: TvmazeSignInElement = found;
  const who: SessionCredentials | null = el.credentials;
  const session: TvmazeSession | null = el.session;
  console.log(who?.apiKey, session?.state);
  void el.signOut().then(() => {});
  // @ts-expect-error credentials is read-only
  el.credentials = null;
  el.strings = { submit: "Connexion", errors: { NETWORK: ["Pas de réseau.", "Réessayez."] } };
  const submit: string = el.strings.submit;
  console.log(submit);
  // @ts-expect-error an error's words are a sentence and the way forward
  el.strings = { errors: { NETWORK: "Pas de réseau." } };
}
const made: TvmazeSignInElement = document.createElement("tvmaze-sign-in");
const tag: "tvmaze-sign-in" = TAG;
const strings: Readonly<TvmazeSignInStrings> = DEFAULT_STRINGS;
console.log(made, tag, strings.errors.EMAIL_NOT_FOUND[0]);

// The event map: on the element, the document and the window, the detail is typed.
made.addEventListener("tvmaze-signed-in", (e) => {
  const key: string = e.detail.apiKey;
  const level: "none" | "bronze" | "silver" | "gold" = e.detail.level;
  console.log(key, level);
  // @ts-expect-error no such field
  console.log(e.detail.password);
});
document.addEventListener("tvmaze-signed-in", (e) => console.log(e.detail.apiKey));
window.addEventListener("tvmaze-signed-out", (e) => {
  const reason: SignOutReason = e.detail.reason;
  console.log(reason);
});
document.body.addEventListener("tvmaze-error", (e) => {
  const code: TvmazeAuthErrorCode = e.detail.code;
  console.log(code);
});
// Ordinary DOM events still type as before.
made.addEventListener("click", (e) => console.log(e.clientX));
export const detail: TvmazeSignedInDetail["level"] = "gold";
export type Events = keyof TvmazeSignInEventMap;
// @ts-expect-error not one of the element's events
export const wrong: Events = "tvmaze-signed";
