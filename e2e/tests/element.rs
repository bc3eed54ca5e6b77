//! `<tvmaze-sign-in>` in real tabs of headless Chromium and Firefox, against a private
//! stand-in whose demo origin serves a small test page (e2e/element-page/) and, at
//! /pkg/, the packed npm package. Every step is what a user does: clicks and keys into
//! the element's shadow DOM, the stand-in's own confirm page in the tab the element
//! opened; axe-core (the npm package, injected into the page) checks each state. Run
//! with `cargo test -p tvmaze-demo-e2e --test element -- --test-threads=2` (add
//! `--nocapture` for the axe results and timings).

use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::Value;
use tvmaze_demo_e2e::browser::Session;
use tvmaze_demo_e2e::demo::poll_until;
use tvmaze_demo_e2e::{repo_root, Browser, Popups, Result, Standin, WindowSize};

tvmaze_demo_e2e::in_both_browsers!(
    new_tab_sign_in_with_axe_in_every_state,
    same_tab_sign_in_resumes_after_back,
    email_sign_in,
    blocked_popup_shows_the_link_and_completes,
    keyboard_only_sign_in_and_out,
    two_tabs_signed_in_from_one_pairing,
    unknown_email_is_explained_and_accessible,
);

/// At 320 px (a true 320 px viewport: Chromium's phone emulation) the element fits:
/// nothing inside it is wider than the screen, in the form and the waiting state.
#[tokio::test]
async fn chromium_fits_320_px() {
    tvmaze_demo_e2e::check(fits_320_px().await);
}

async fn fits_320_px() -> Result {
    let size = WindowSize {
        width: 320,
        height: 800,
    };
    let page = Page::start_sized(Browser::Chromium, Popups::Allowed, size).await?;
    let result = async {
        page.open("confirm=email").await?;
        let widest = "(() => { const r = t.element.shadowRoot; \
            const all = [t.element, ...r.querySelectorAll('*')].filter((e) => e.getClientRects().length); \
            return Math.max(document.documentElement.scrollWidth, ...all.map((e) => e.getBoundingClientRect().right)); })()";
        for state in ["form", "waiting"] {
            if state == "waiting" {
                page.sign_in(EMAIL).await?;
                page.wait_view("waiting").await?;
            }
            let right = page.eval(widest).await?;
            expect(right.as_f64().is_some_and(|r| r <= 320.0), || {
                format!("at 320 px the {state} state reaches {right} px")
            })?;
        }
        Ok(())
    }
    .await;
    page.close().await;
    result
}

const EMAIL: &str = "alice@example.com";
/// How long any one expected change may take on a slow, shared machine.
const TIMEOUT: Duration = Duration::from_secs(30);

/// One browser on the element's test page.
struct Page {
    session: Session,
    standin: Standin,
    started: Instant,
}

impl Page {
    async fn start(browser: Browser, popups: Popups) -> Result<Self> {
        Self::start_sized(browser, popups, WindowSize::DESKTOP).await
    }

    async fn start_sized(browser: Browser, popups: Popups, size: WindowSize) -> Result<Self> {
        let standin =
            Standin::spawn_serving(&repo_root().join("e2e/element-page"), &["--test-helpers"])
                .await?;
        let session = Session::start(browser, popups, size).await?;
        Ok(Self {
            session,
            standin,
            started: Instant::now(),
        })
    }

    fn browser(&self) -> Browser {
        self.session.browser
    }

    /// Loads the page with `query` in the current tab and waits for its element.
    async fn open(&self, query: &str) -> Result {
        let url = format!("{}?{query}", self.standin.demo);
        self.session.client.goto(&url).await?;
        self.wait("the page", "window.t && t.ready").await
    }

    /// The value of the expression `js`, awaited if it is a promise.
    async fn eval(&self, js: &str) -> Result<Value> {
        self.session.eval(js).await
    }

    /// Waits until the expression `js` is true.
    async fn wait(&self, what: &str, js: &str) -> Result {
        let js = format!("!!({js})");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if self.eval(&js).await.ok() == Some(Value::Bool(true)) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let seen = self
                    .eval("JSON.stringify({ view: t.view(), log: t.log.events })")
                    .await
                    .unwrap_or_default();
                return Err(format!("timed out waiting for {what}; saw {seen}").into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// What the element shows (t.view() in page.js).
    async fn view(&self) -> Result<Value> {
        self.eval("t.view()").await
    }

    async fn wait_view(&self, view: &str) -> Result {
        self.wait(
            &format!("the {view} view"),
            &format!("t.view().view === '{view}'"),
        )
        .await
    }

    /// An element of the sign-in element's shadow DOM.
    async fn inner(&self, css: &str) -> Result<Element> {
        let host = self
            .session
            .client
            .find(Locator::Css("tvmaze-sign-in"))
            .await?;
        let root = host.shadow_root().await?;
        root.find(Locator::Css(css))
            .await
            .map_err(|e| format!("no {css} in the element: {e}").into())
    }

    /// Types the email and clicks "Sign in with TVmaze", as a user does.
    async fn sign_in(&self, email: &str) -> Result {
        self.wait_view("form").await?;
        let input = self.inner("input").await?;
        input.clear().await?;
        input.send_keys(email).await?;
        self.inner("button[type=submit]").await?.click().await?;
        Ok(())
    }

    /// Presses Confirm on the stand-in's confirm page in the current tab.
    async fn confirm_here(&self) -> Result {
        let prefix = format!("{}/confirm/", self.standin.confirm_origin());
        poll_until("the confirm page", || async {
            let seen = self.session.client.current_url().await?.to_string();
            Ok(if seen.starts_with(&prefix) {
                Ok(())
            } else {
                Err(seen)
            })
        })
        .await?;
        let button = "[name=decision][value=confirm]";
        poll_until("the confirm button", || async {
            Ok(match self.session.client.find(Locator::Css(button)).await {
                Ok(b) => Ok(b),
                Err(_) => Err("not yet".to_owned()),
            })
        })
        .await?
        .click()
        .await?;
        Ok(())
    }

    /// The window other than `main`, once there is one.
    async fn other_window(
        &self,
        main: &fantoccini::wd::WindowHandle,
    ) -> Result<fantoccini::wd::WindowHandle> {
        poll_until("a new tab", || async {
            let windows = self.session.client.windows().await?;
            let count = windows.len();
            Ok(windows
                .into_iter()
                .find(|w| w != main)
                .ok_or(format!("{count} tab(s)")))
        })
        .await
    }

    async fn window_count(&self) -> Result<usize> {
        Ok(self.session.client.windows().await?.len())
    }

    /// Runs axe-core on the page (the element's open shadow root included) and fails on
    /// any violation; prints the rules checked and how long it took.
    async fn axe(&self, state: &str) -> Result {
        let source = std::fs::read_to_string(repo_root().join("node_modules/axe-core/axe.min.js"))
            .map_err(|e| format!("axe-core is not installed (scripts/setup.sh test): {e}"))?;
        self.session.client.execute(&source, vec![]).await?;
        let t = Instant::now();
        let result = self
            .eval(
                "axe.run(document).then((r) => ({ passes: r.passes.length, incomplete: r.incomplete.map((v) => v.id), \
                 violations: r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) })) }))",
            )
            .await?;
        let ms = t.elapsed().as_millis();
        println!(
            "axe {} {state}: {} violations, {} rules passed, incomplete {}, {ms} ms",
            self.browser(),
            result["violations"].as_array().map_or(0, Vec::len),
            result["passes"],
            result["incomplete"],
        );
        let violations = &result["violations"];
        if violations.as_array().is_some_and(|v| v.is_empty()) {
            Ok(())
        } else {
            Err(format!("axe-core in the {state} state: {violations}").into())
        }
    }

    /// The events the page saw, by type.
    async fn events(&self) -> Result<Vec<String>> {
        let log = self.eval("t.log.events.map((e) => e.type)").await?;
        Ok(log
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Checks the signed-in view: the username and level, no key in the DOM, and one
    /// tvmaze-signed-in event carrying the key.
    async fn expect_signed_in(&self) -> Result {
        self.wait_view("signed-in").await?;
        let view = self.view().await?;
        let text = view["text"].as_str().unwrap_or_default();
        expect(text.contains("alice") && text.contains("Silver"), || {
            format!("the signed-in view says {text:?}")
        })?;
        let key_shown = self
            .eval(
                "(() => { const k = t.element.credentials.apiKey; \
                 return document.documentElement.outerHTML.includes(k) || t.element.shadowRoot.innerHTML.includes(k); })()",
            )
            .await?;
        expect(key_shown == Value::Bool(false), || {
            "the API key is in the DOM".to_owned()
        })?;
        let signed_in = self
            .eval("t.log.events.filter((e) => e.type === 'tvmaze-signed-in' && e.username === 'alice' && e.hasKey && e.level === 'silver').length")
            .await?;
        expect(signed_in == 1, || {
            format!("{signed_in} tvmaze-signed-in events with the key")
        })
    }

    fn starts(&self) -> usize {
        self.standin
            .served()
            .iter()
            .filter(|s| s.path == "/v1/auth/start" && s.method == "POST")
            .count()
    }

    async fn close(self) -> Duration {
        let took = self.started.elapsed();
        self.session.close().await;
        took
    }
}

/// Runs `flow` on a fresh page, closing the browser whatever happens; prints its time.
async fn in_browser(
    browser: Browser,
    popups: Popups,
    name: &str,
    flow: impl AsyncFnOnce(&Page) -> Result,
) -> Result {
    let page = Page::start(browser, popups).await?;
    let result = flow(&page).await;
    let took = page.close().await;
    println!("{browser} {name}: {} ms", took.as_millis());
    result.map_err(|e| format!("{browser}: {e}").into())
}

fn expect(ok: bool, why: impl FnOnce() -> String) -> Result {
    if ok {
        Ok(())
    } else {
        Err(why().into())
    }
}

/// The default mode: the click opens a tab, which the element sends to the confirm page;
/// confirming there signs the element in, and the element closes that tab. axe-core
/// checks the form, the waiting and the signed-in states.
async fn new_tab_sign_in_with_axe_in_every_state(browser: Browser) -> Result {
    in_browser(browser, Popups::Allowed, "new-tab", async |page: &Page| {
        page.open("").await?;
        page.axe("form").await?;
        let main = page.session.client.window().await?;
        page.sign_in(EMAIL).await?;
        page.wait_view("waiting").await?;
        let view = page.view().await?;
        expect(
            view["text"].as_str().is_some_and(|t| t.contains("new tab")),
            || format!("the waiting view says {view}"),
        )?;
        expect(view["status"] != "", || "nothing in the live region".into())?;
        page.axe("waiting").await?;
        let tab = page.other_window(&main).await?;
        page.session.client.switch_to_window(tab).await?;
        page.confirm_here().await?;
        page.session.client.switch_to_window(main.clone()).await?;
        page.expect_signed_in().await?;
        page.axe("signed in").await?;
        // The tab it opened is not left on a stale page.
        poll_until("the confirm tab to close", || async {
            let n = page.window_count().await?;
            Ok(if n == 1 {
                Ok(())
            } else {
                Err(format!("{n} tabs"))
            })
        })
        .await?;
        expect(page.starts() == 1, || format!("{} starts", page.starts()))
    })
    .await
}

/// same-tab: the page itself goes to the confirm page; Back returns to the page, whose
/// element resumes the stored pairing and ends signed in, without a second start.
async fn same_tab_sign_in_resumes_after_back(browser: Browser) -> Result {
    in_browser(browser, Popups::Allowed, "same-tab", async |page: &Page| {
        page.open("confirm=same-tab").await?;
        page.sign_in(EMAIL).await?;
        page.confirm_here().await?;
        let demo = page.standin.demo.clone();
        poll_until("Back to reach the page", || async {
            let url = page.session.client.current_url().await?.to_string();
            if url.starts_with(&demo) {
                return Ok(Ok(()));
            }
            page.session.client.back().await?;
            Ok(Err(url))
        })
        .await?;
        page.wait("the page", "window.t && t.ready").await?;
        page.expect_signed_in().await?;
        expect(page.starts() == 1, || format!("{} starts", page.starts()))
    })
    .await
}

/// email: the waiting view says to open the emailed link; its confirmation (here the
/// stand-in's decision, as the emailed link does) signs the element in.
async fn email_sign_in(browser: Browser) -> Result {
    in_browser(browser, Popups::Allowed, "email", async |page: &Page| {
        page.open("confirm=email").await?;
        page.sign_in(EMAIL).await?;
        page.wait_view("waiting").await?;
        let view = page.view().await?;
        expect(
            view["text"].as_str().is_some_and(|t| t.contains("emailed")),
            || format!("the waiting view says {view}"),
        )?;
        expect(page.window_count().await? == 1, || {
            "a tab was opened in email mode".into()
        })?;
        let status = page.eval("t.decide('confirm')").await?;
        expect(status == 200, || format!("the decision answered {status}"))?;
        page.expect_signed_in().await
    })
    .await
}

/// With the popup blocker on and no user gesture, window.open gives nothing: the element
/// says so, focuses the link to the confirm page, and a click on it (a real gesture)
/// opens the page where the user confirms.
async fn blocked_popup_shows_the_link_and_completes(browser: Browser) -> Result {
    in_browser(
        browser,
        Popups::Blocked,
        "blocked popup",
        async |page: &Page| {
            page.open("").await?;
            let main = page.session.client.window().await?;
            page.eval(&format!(
            "(() => {{ const r = t.element.shadowRoot; r.querySelector('input').value = '{EMAIL}'; \
             r.querySelector('form').requestSubmit(); }})()"
        ))
            .await?;
            page.wait_view("waiting").await?;
            page.wait("the blocked words", "t.view().text.includes('blocked')")
                .await?;
            let view = page.view().await?;
            expect(view["focus"] == "link confirm-link", || {
                format!("focus is on {} instead of the link", view["focus"])
            })?;
            expect(page.window_count().await? == 1, || "a popup opened".into())?;
            page.inner("a").await?.click().await?;
            let tab = page.other_window(&main).await?;
            page.session.client.switch_to_window(tab).await?;
            page.confirm_here().await?;
            page.session.client.switch_to_window(main).await?;
            page.expect_signed_in().await
        },
    )
    .await
}

/// Keys only: Tab into the field, type, Enter; after the confirmation focus is on the
/// signed-in words; Tab, Enter signs out and focus is back in the field.
async fn keyboard_only_sign_in_and_out(browser: Browser) -> Result {
    in_browser(browser, Popups::Allowed, "keyboard", async |page: &Page| {
        page.open("confirm=email").await?;
        page.wait_view("form").await?;
        let keys = |text: &str| {
            let mut actions = KeyActions::new("keyboard".into());
            for c in text.chars() {
                actions = actions
                    .then(KeyAction::Down { value: c })
                    .then(KeyAction::Up { value: c });
            }
            actions
        };
        let tab: char = Key::Tab.into();
        let enter: char = Key::Enter.into();
        page.session
            .client
            .perform_actions(keys(&tab.to_string()))
            .await?;
        let view = page.view().await?;
        expect(view["focus"] == "input", || {
            format!("Tab from the page start focused {}", view["focus"])
        })?;
        page.session
            .client
            .perform_actions(keys(&format!("{EMAIL}{enter}")))
            .await?;
        page.wait_view("waiting").await?;
        let view = page.view().await?;
        expect(view["focus"] == "instructions", || {
            format!("waiting, focus is on {}", view["focus"])
        })?;
        page.eval("t.decide('confirm')").await?;
        page.expect_signed_in().await?;
        let view = page.view().await?;
        expect(view["focus"] == "who", || {
            format!("signed in, focus is on {}", view["focus"])
        })?;
        page.session
            .client
            .perform_actions(keys(&format!("{tab}{enter}")))
            .await?;
        page.wait_view("form").await?;
        let view = page.view().await?;
        expect(view["focus"] == "input", || {
            format!("signed out, focus is on {}", view["focus"])
        })?;
        let events = page.events().await?;
        expect(
            events.last().map(String::as_str) == Some("tvmaze-signed-out"),
            || format!("events {events:?}"),
        )
    })
    .await
}

/// Two tabs with an element each: the first starts the sign-in, the second shows the
/// pairing waiting, and both end signed in from the one pairing.
async fn two_tabs_signed_in_from_one_pairing(browser: Browser) -> Result {
    in_browser(browser, Popups::Allowed, "two tabs", async |page: &Page| {
        page.open("confirm=email").await?;
        let first = page.session.client.window().await?;
        let second = page.session.client.new_window(true).await?.handle;
        page.session.client.switch_to_window(second.clone()).await?;
        page.open("confirm=email").await?;
        page.session.client.switch_to_window(first.clone()).await?;
        page.sign_in(EMAIL).await?;
        page.wait_view("waiting").await?;
        page.session.client.switch_to_window(second.clone()).await?;
        page.wait_view("waiting").await?;
        page.session.client.switch_to_window(first.clone()).await?;
        page.eval("t.decide('confirm')").await?;
        page.expect_signed_in().await?;
        page.session.client.switch_to_window(second).await?;
        page.expect_signed_in().await?;
        expect(page.starts() == 1, || format!("{} starts", page.starts()))
    })
    .await
}

/// An address TVmaze does not know: the element says so and how to go on, announces it
/// (role=alert), fires tvmaze-error with the code, puts focus back in the field, opens
/// no tab it leaves behind; axe-core checks the error state.
async fn unknown_email_is_explained_and_accessible(browser: Browser) -> Result {
    in_browser(browser, Popups::Allowed, "error", async |page: &Page| {
        page.open("").await?;
        page.sign_in("nobody@example.com").await?;
        page.wait("the error", "t.view().error.includes('No TVmaze account')")
            .await?;
        let view = page.view().await?;
        expect(view["view"] == "form" && view["focus"] == "input", || {
            format!("after the error: {view}")
        })?;
        let code = page
            .eval("t.log.events.find((e) => e.type === 'tvmaze-error')?.code")
            .await?;
        expect(code == "EMAIL_NOT_FOUND", || {
            format!("tvmaze-error code {code}")
        })?;
        let role = page
            .eval("t.element.shadowRoot.querySelector('[part~=error]').getAttribute('role')")
            .await?;
        expect(role == "alert", || format!("the error's role is {role}"))?;
        page.axe("error").await?;
        poll_until("the opened tab to close", || async {
            let n = page.window_count().await?;
            Ok(if n == 1 {
                Ok(())
            } else {
                Err(format!("{n} tabs"))
            })
        })
        .await
    })
    .await
}
