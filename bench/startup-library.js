// The library's start-up page (bench/startup.mjs bundles it as an app would): a sign-in
// button whose click starts a sign-in; preload() is init(), as on hover of the button.
import init, { startAuth } from "tvmaze-auth";

const button = document.querySelector("button");
window.preload = () => init().then(() => "loaded");
button.addEventListener("click", (event) => {
  window.clickedAt = event.timeStamp;
  startAuth("alice@example.com", { baseUrl: `${location.origin}/v1`, emailConfirmation: false }).then(
    (started) => (window.outcome = started.token ? "started" : "no token"),
    (e) => (window.outcome = `${e?.code}: ${e?.message}`),
  );
});
window.ready = true;
