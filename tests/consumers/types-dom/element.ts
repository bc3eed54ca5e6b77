// The element's subpath as a TypeScript app sees it from the tarball: the tag and event
// maps typed under strict settings.
import "tvmaze-auth/element";
import type { TvmazeSignInElement } from "tvmaze-auth/element";

const element: TvmazeSignInElement | null = document.querySelector("tvmaze-sign-in");
element?.setAttribute("confirm", "email");
document.addEventListener("tvmaze-signed-in", (e) => {
  const key: string = e.detail.apiKey;
  console.log(key.length, e.detail.username, e.detail.level);
});
element?.addEventListener("tvmaze-error", (e) => console.log(e.detail.code));
