//! The demo page as a test sees it: open it, fill the form, wait for what a user sees.
//! The sign-in is `<tvmaze-sign-in>`: its parts are reached through its open shadow root.

use std::future::Future;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::Value;

use crate::browser::{Session, WindowSize};
use crate::{Browser, Popups, Result, Standin};

/// How long any one expected change may take. The element's session polls every 10 s
/// (its default), so this leaves room for two polls on a slow, shared machine.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The element's view as the flows name it: start (the form), waiting, success (signed
/// in), error (the form with an error shown), loading.
const STATE_JS: &str = "const el = document.querySelector('tvmaze-sign-in'); \
    if (!el || !el.shadowRoot) return 'loading'; \
    const r = el.shadowRoot; \
    const v = [...r.querySelectorAll('[data-view]')].find((e) => !e.hidden)?.dataset.view; \
    const error = r.querySelector('[part~=error]').textContent; \
    return v === 'form' ? (error ? 'error' : 'start') : v === 'signed-in' ? 'success' : v;";

/// A browser session on the demo page of one stand-in.
pub struct Demo {
    session: Session,
    /// The demo page's URL.
    pub url: String,
    /// The stand-in API's origin.
    pub api_origin: String,
    /// Where the stand-in's confirm pages are.
    pub confirm_origin: String,
}

/// How the page should ask for confirmation.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    /// "Open TVmaze in a new tab" (a link to it when the browser blocks the new one).
    NewTab,
    /// "Open TVmaze in this tab": this tab goes to the confirm page and comes back.
    SameTab,
    /// "Email me a link": the link is in the stand-in's outbox.
    Email,
}

impl Mode {
    /// The `value` of the mode's radio button.
    fn value(self) -> &'static str {
        match self {
            Mode::NewTab => "new-tab",
            Mode::SameTab => "same-tab",
            Mode::Email => "email",
        }
    }
}

/// Opens the demo of `standin` in `browser`, runs `flow` on it and closes the browser
/// whatever the outcome; a failure names the browser.
pub async fn with_demo(
    browser: Browser,
    standin: &Standin,
    popups: Popups,
    flow: impl AsyncFnOnce(&Demo) -> Result,
) -> Result {
    let outcome = async {
        let demo = Demo::open(browser, standin, popups, WindowSize::DESKTOP).await?;
        let result = flow(&demo).await;
        demo.close().await;
        result
    };
    outcome.await.map_err(|e| format!("{browser}: {e}").into())
}

impl Demo {
    /// Opens the demo of `standin` and waits until the wasm module is initialised.
    pub async fn open(
        browser: Browser,
        standin: &Standin,
        popups: Popups,
        size: WindowSize,
    ) -> Result<Self> {
        let session = Session::start(browser, popups, size).await?;
        let demo = Self {
            session,
            url: standin.demo.clone(),
            api_origin: standin.api_origin().to_owned(),
            confirm_origin: standin.confirm_origin().to_owned(),
        };
        if let Err(e) = demo.load().await {
            demo.session.close().await;
            return Err(e);
        }
        Ok(demo)
    }

    /// Ends the browser session.
    pub async fn close(self) {
        self.session.close().await;
    }

    /// The WebDriver client, for steps the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.session.client
    }

    /// Which browser runs this demo.
    pub fn browser(&self) -> Browser {
        self.session.browser
    }

    /// Loads the demo page and waits until it has set the element up.
    pub async fn load(&self) -> Result {
        self.client().goto(&self.url).await?;
        self.wait_ready().await
    }

    /// Reloads the page, as the user's reload button does, and waits for the element.
    pub async fn reload(&self) -> Result {
        self.client().refresh().await?;
        self.wait_ready().await
    }

    async fn wait_ready(&self) -> Result {
        poll_until("the page to set the element up", || async {
            let flag = self.js("return document.body.dataset.ready").await?;
            Ok(ready(flag == "true", format!("ready {flag}")))
        })
        .await
    }

    /// Picks the mode, types the email into the element and presses its button.
    pub async fn start(&self, email: &str, mode: Mode) -> Result {
        self.fill(email, mode).await?;
        self.inner("button[type=submit]").await?.click().await?;
        Ok(())
    }

    /// A part of the element's shadow DOM.
    pub async fn inner(&self, css: &str) -> Result<Element> {
        let host = self.find("tvmaze-sign-in").await?;
        let root = host.shadow_root().await?;
        root.find(Locator::Css(css))
            .await
            .map_err(|e| format!("no {css} in the element: {e}").into())
    }

    /// The text of the element's `part` (error, status) or shown view (view).
    pub async fn element_text(&self, part: &str) -> Result<String> {
        let script = "const r = document.querySelector('tvmaze-sign-in').shadowRoot; \
            const part = arguments[0]; \
            const el = part === 'view' ? [...r.querySelectorAll('[data-view]')].find((e) => !e.hidden) \
              : r.querySelector(`[part~=${part}]`); \
            return el ? el.textContent.replace(/\\s+/g, ' ').trim() : '';";
        let text = self.client().execute(script, vec![part.into()]).await?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// Waits until the element's `part` (see [`Demo::element_text`]) contains `expected`.
    pub async fn wait_element_text(&self, part: &str, expected: &str) -> Result {
        poll_until(
            &format!("the element's {part} to say {expected:?}"),
            || async {
                let seen = self.element_text(part).await?;
                Ok(ready(seen.contains(expected), format!("{seen:?}")))
            },
        )
        .await
    }

    /// Like [`Demo::start`], but fills the form and presses the button from a script.
    /// With no user gesture (a WebDriver click or keystroke would count as one for a
    /// few seconds), the popup blocker refuses the page's new tab.
    pub async fn start_without_gesture(&self, email: &str, mode: Mode) -> Result {
        self.wait_state("start").await?;
        let script = "const [email, mode] = arguments; \
            const radio = document.querySelector(`input[name=mode][value=${mode}]`); \
            radio.checked = true; \
            radio.dispatchEvent(new Event('change')); \
            const r = document.querySelector('tvmaze-sign-in').shadowRoot; \
            r.querySelector('input').value = email; \
            r.querySelector('form').requestSubmit();";
        self.client()
            .execute(script, vec![email.into(), mode.value().into()])
            .await?;
        Ok(())
    }

    async fn fill(&self, email: &str, mode: Mode) -> Result {
        self.wait_form().await?;
        let radio = format!("input[name=mode][value={}]", mode.value());
        self.find(&radio).await?.click().await?;
        let field = self.inner("input").await?;
        field.clear().await?;
        field.send_keys(email).await?;
        Ok(())
    }

    /// The element matching `css`, which must exist now.
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client()
            .find(Locator::Css(css))
            .await
            .map_err(|e| format!("no element {css}: {e}").into())
    }

    /// Runs `script` in the page and returns its value.
    pub async fn js(&self, script: &str) -> Result<Value> {
        Ok(self.client().execute(script, vec![]).await?)
    }

    /// Waits until the element shows its form (start, or error: the form under an error).
    pub async fn wait_form(&self) -> Result {
        poll_until("the form", || async {
            let seen = self.state().await?;
            Ok(ready(
                seen == "start" || seen == "error",
                format!("state {seen:?}"),
            ))
        })
        .await
    }

    /// The element's state once it has read the stored session (not loading).
    pub async fn settled_state(&self) -> Result<String> {
        poll_until("the element to read the stored session", || async {
            let seen = self.state().await?;
            Ok(if seen == "loading" {
                Err(seen)
            } else {
                Ok(seen)
            })
        })
        .await
    }

    /// The element's state (loading, start, waiting, success, error).
    pub async fn state(&self) -> Result<String> {
        let state = self.js(STATE_JS).await?;
        Ok(state.as_str().unwrap_or_default().to_owned())
    }

    /// Waits until the page shows `state`.
    pub async fn wait_state(&self, state: &str) -> Result {
        poll_until(&format!("state {state}"), || async {
            let seen = self.state().await?;
            let status = self.element_text("status").await?;
            Ok(ready(
                seen == state,
                format!("state {seen:?}, status {status}"),
            ))
        })
        .await
    }

    /// Waits until the *visible* text of `css` contains `expected` (WebDriver's text
    /// of a hidden element is empty, so this also checks that it is shown).
    pub async fn wait_text(&self, css: &str, expected: &str) -> Result {
        poll_until(&format!("{css} to show {expected:?}"), || async {
            let seen = match self.client().find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            Ok(ready(seen.contains(expected), format!("{seen:?}")))
        })
        .await
    }

    /// The visible text of `css`.
    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.find(css).await?.text().await?)
    }

    /// Switches to the tab the page opened and waits until it shows a confirm page.
    pub async fn switch_to_confirm_tab(&self) -> Result {
        let main = self.client().window().await?;
        let tab = poll_until("a new tab", || async {
            let windows = self.client().windows().await?;
            let count = windows.len();
            Ok(windows
                .into_iter()
                .find(|w| *w != main)
                .ok_or(format!("{count} tab(s)")))
        })
        .await?;
        self.client().switch_to_window(tab).await?;
        self.wait_for_confirm_page().await
    }

    /// Waits until the current tab is on a confirm page of the stand-in.
    pub async fn wait_for_confirm_page(&self) -> Result {
        let prefix = format!("{}/confirm/", self.confirm_origin);
        poll_until("the confirm page", || async {
            let seen = self.client().current_url().await?.to_string();
            Ok(ready(seen.starts_with(&prefix), seen))
        })
        .await
    }

    /// Presses Confirm or Deny on the stand-in's confirm page in the current tab and
    /// waits for the stand-in's answer page.
    pub async fn decide(&self, confirm: bool) -> Result {
        let value = if confirm { "confirm" } else { "deny" };
        let button = format!("[name=decision][value={value}]");
        self.wait_css(&button).await?;
        self.find(&button).await?.click().await?;
        poll_until("the decision to be sent", || async {
            let gone = self.client().find(Locator::Css(&button)).await.is_err();
            Ok(ready(gone, "the button still there"))
        })
        .await
    }

    /// Presses Back until this tab is on the demo page again (over the confirm page and
    /// its answer), and checks that the demo's URL carries no state.
    pub async fn back_to_demo(&self) -> Result {
        let url = poll_until("Back to reach the demo", || async {
            let url = self.client().current_url().await?.to_string();
            if url.starts_with(&self.url) {
                return Ok(Ok(url));
            }
            self.client().back().await?;
            Ok(Err(url))
        })
        .await?;
        if url == self.url {
            Ok(())
        } else {
            Err(format!("the demo's URL carries state: {url}").into())
        }
    }

    /// What the page logged to the console at WARNING or above; `None` where the
    /// browser's driver cannot read the console (Firefox).
    pub async fn console_problems(&self) -> Result<Option<Vec<String>>> {
        self.session.console_problems().await
    }

    /// Closes every tab but the demo's first one and switches back to it.
    pub async fn back_to_main_tab(&self, main: &fantoccini::wd::WindowHandle) -> Result {
        for window in self.client().windows().await? {
            if window != *main {
                self.client().switch_to_window(window).await?;
                self.client().close_window().await?;
            }
        }
        self.client().switch_to_window(main.clone()).await?;
        Ok(())
    }

    /// The number of open tabs.
    pub async fn tab_count(&self) -> Result<usize> {
        Ok(self.client().windows().await?.len())
    }

    /// Waits until an element matching `css` exists.
    pub async fn wait_css(&self, css: &str) -> Result {
        poll_until(&format!("an element {css}"), || async {
            let found = self.client().find(Locator::Css(css)).await.is_ok();
            Ok(ready(found, "none"))
        })
        .await
    }

    /// Fetches `url` from the page (the CSP and the stand-in's CORS allow its API
    /// origin) and returns the parsed JSON: the tests need no HTTP client of their own.
    pub async fn fetch_json(&self, url: &str) -> Result<Value> {
        let script = "const [url, done] = arguments; \
            fetch(url).then(r => r.text()).then(done, e => done('fetch failed: ' + e));";
        let text = self
            .client()
            .execute_async(script, vec![Value::String(url.to_owned())])
            .await?;
        let text = text.as_str().unwrap_or_default();
        serde_json::from_str(text).map_err(|e| format!("{url} answered {text:?}: {e}").into())
    }

    /// Shows the page in the dark (or light) colour scheme (Chromium only).
    pub async fn emulate_color_scheme(&self, dark: bool) -> Result {
        self.session.emulate_color_scheme(dark).await
    }

    /// Saves a screenshot of the viewport as PNG.
    pub async fn screenshot(&self, path: &std::path::Path) -> Result {
        let png = self.client().screenshot().await?;
        std::fs::write(path, png).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(())
    }
}

/// Polls `check` every 100 ms until it answers `Ok(value)`, failing after [`TIMEOUT`].
/// `check` answers `Err(seen)` while not there yet; the last `seen` goes in the failure.
pub async fn poll_until<T, F, Fut>(what: &str, mut check: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<std::result::Result<T, String>>>,
{
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let seen = match check().await? {
            Ok(value) => return Ok(value),
            Err(seen) => seen,
        };
        if Instant::now() > deadline {
            return Err(
                format!("timed out after {TIMEOUT:?} waiting for {what}; saw {seen}").into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `Ok(())` when `done`, else "not yet" described by `seen`.
fn ready(done: bool, seen: impl Into<String>) -> std::result::Result<(), String> {
    if done {
        Ok(())
    } else {
        Err(seen.into())
    }
}
