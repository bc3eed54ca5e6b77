// The same page with @octokit/request instead (the request layer under
// @octokit/auth-oauth-device), making the same request: what a page pays without wasm.
import { request } from "@octokit/request";

const button = document.querySelector("button");
window.preload = async () => "nothing to load";
button.addEventListener("click", (event) => {
  window.clickedAt = event.timeStamp;
  request("POST /auth/start", {
    baseUrl: `${location.origin}/v1`,
    email: "alice@example.com",
    email_confirmation: false,
  }).then(
    (res) => (window.outcome = res.data.token ? "started" : "no token"),
    (e) => (window.outcome = `${e?.status}: ${e?.message}`),
  );
});
window.ready = true;
