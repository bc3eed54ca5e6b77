//! The demo's flows, each run in headless Chromium and in headless Firefox against a
//! private stand-in. Run with
//! `cargo test -p tvmaze-demo-e2e -- --test-threads=2` (two browsers at a time at most:
//! each one is a few hundred MB and the machine has two cores).

use fantoccini::Locator;
use tvmaze_demo_e2e::demo::poll_until;
use tvmaze_demo_e2e::{repo_root, with_demo, Browser, Demo, Mode, Popups, Result, Standin};

tvmaze_demo_e2e::in_both_browsers!(
    new_tab_confirm_then_key_controls,
    blocked_new_tab_shows_the_link,
    same_tab_choice_resumes_after_back,
    page_load_logs_nothing,
    email_mode_with_the_outbox_link,
    deny,
    expired_token,
    unknown_and_unconfirmed_email,
    cancel_while_waiting,
    reload_while_waiting_resumes,
    html_from_the_server_is_shown_as_text,
    same_origin_base_through_the_demo_origin,
);

/// Confirm in the tab the element opened, which it then closes; the page shows what the
/// tvmaze-signed-in event carried: username, level by name, the key masked with a reveal
/// toggle. The sign-in survives a reload (the session's storage); Sign out ends it.
async fn new_tab_confirm_then_key_controls(browser: Browser) -> Result {
    let standin = Standin::spawn(&[]).await?;
    with_demo(browser, &standin, Popups::Allowed, async |demo: &Demo| {
        let main = demo.client().window().await?;
        demo.start("alice@example.com", Mode::NewTab).await?;
        demo.switch_to_confirm_tab().await?;
        demo.decide(true).await?;
        demo.client().switch_to_window(main.clone()).await?;

        demo.wait_state("success").await?;
        demo.wait_element_text("view", "alice").await?;
        demo.wait_text("#username", "alice").await?;
        demo.wait_text("#level", "Silver").await?;
        poll_until("the confirm tab to close", || async {
            let tabs = demo.tab_count().await?;
            Ok(if tabs == 1 {
                Ok(())
            } else {
                Err(format!("{tabs} tabs"))
            })
        })
        .await?;

        let masked = demo.text("#key").await?;
        expect(
            !masked.is_empty() && masked.chars().all(|c| c == '•'),
            || format!("the key is not masked: {masked:?}"),
        )?;
        demo.find("#reveal").await?.click().await?;
        let key = demo.text("#key").await?;
        expect(!key.is_empty() && !key.contains('•'), || {
            format!("Show did not reveal the key: {key:?}")
        })?;
        demo.wait_text("#reveal", "Hide").await?;
        expect(
            !demo.client().current_url().await?.as_str().contains(&key),
            || "the key is in the URL".into(),
        )?;
        expect(!demo.element_text("view").await?.contains(&key), || {
            "the element shows the key".into()
        })?;

        demo.reload().await?;
        demo.wait_state("success").await?;
        demo.wait_text("#username", "alice").await?;

        demo.inner("button[part~=sign-out]").await?.click().await?;
        demo.wait_state("start").await?;
        demo.wait_element_text("status", "Signed out").await?;
        expect(!local_storage(demo).await?.contains(&key), || {
            "Sign out left the key in localStorage".into()
        })?;
        demo.reload().await?;
        expect(demo.settled_state().await? == "start", || {
            "after Sign out and a reload the page did not start over".into()
        })
    })
    .await
}

/// A same-origin deployment: the stand-in answers `/v1/auth/*` on the page's own origin
/// (`--proxy-api`) and the page passes `baseUrl: "/v1"`. The API origin sends no CORS
/// headers (`--no-cors`), so any cross-origin call would fail with NETWORK: signing in
/// proves the library resolved the path against the page's location and stayed there.
async fn same_origin_base_through_the_demo_origin(browser: Browser) -> Result {
    let standin = Standin::spawn(&["--proxy-api", "--no-cors"]).await?;
    with_demo(browser, &standin, Popups::Allowed, async |demo: &Demo| {
        let main = demo.client().window().await?;
        demo.start("alice@example.com", Mode::NewTab).await?;
        demo.switch_to_confirm_tab().await?;
        demo.decide(true).await?;
        demo.back_to_main_tab(&main).await?;
        demo.wait_state("success").await?;
        demo.wait_text("#username", "alice").await?;
        demo.wait_text("#level", "Silver").await
    })
    .await
}

/// The popup blocker refuses the new tab: the element says so and offers the confirm
/// page as a link; the user's click on it opens the page, and confirming there signs in.
async fn blocked_new_tab_shows_the_link(browser: Browser) -> Result {
    let standin = Standin::spawn(&[]).await?;
    with_demo(browser, &standin, Popups::Blocked, async |demo: &Demo| {
        let main = demo.client().window().await?;
        demo.start_without_gesture("alice@example.com", Mode::NewTab)
            .await?;
        demo.wait_element_text("view", "blocked").await?;
        let tabs = demo.tab_count().await?;
        expect(tabs == 1, || {
            format!("the browser did not block the new tab ({tabs} tabs): the test proves nothing")
        })?;
        demo.inner("a[part~=confirm-link]").await?.click().await?;
        demo.switch_to_confirm_tab().await?;
        demo.decide(true).await?;
        demo.back_to_main_tab(&main).await?;
        demo.wait_text("#username", "alice").await?;
        demo.wait_text("#level", "Silver").await
    })
    .await
}

/// "Open TVmaze in this tab", chosen with new tabs allowed: this tab goes to the confirm
/// page, and Back brings the user to the demo, which resumes waiting and signs in.
async fn same_tab_choice_resumes_after_back(browser: Browser) -> Result {
    let standin = Standin::spawn(&[]).await?;
    with_demo(browser, &standin, Popups::Allowed, async |demo: &Demo| {
        demo.start("alice@example.com", Mode::SameTab).await?;
        demo.wait_for_confirm_page().await?;
        let tabs = demo.tab_count().await?;
        expect(tabs == 1, || {
            format!("choosing this tab opened another one ({tabs} tabs)")
        })?;
        demo.decide(true).await?;
        demo.back_to_demo().await?;
        demo.wait_text("#username", "alice").await?;
        demo.wait_text("#level", "Silver").await
    })
    .await
}

/// Loading the page asks the server for nothing it does not have (a missing icon is a
/// 404 in the console on every load) and, where the driver can read the console
/// (Chromium), logs no warning or error there: no CSP refusal, no script error.
async fn page_load_logs_nothing(browser: Browser) -> Result {
    let standin = Standin::spawn(&[]).await?;
    with_demo(browser, &standin, Popups::Allowed, async |demo: &Demo| {
        // Browsers ask for the icon after the page has loaded; without one declared,
        // they ask for /favicon.ico.
        poll_until("the browser to ask for the page's icon", || async {
            let asked = standin
                .served()
                .iter()
                .any(|served| served.origin == "demo" && served.path.starts_with("/favicon"));
            Ok(if asked {
                Ok(())
            } else {
                Err("no request for an icon".to_owned())
            })
        })
        .await?;
        let failed: Vec<_> = standin
            .served()
            .into_iter()
            .filter(|served| served.status >= 400)
            .collect();
        expect(failed.is_empty(), || {
            format!("loading the page failed requests: {failed:?}")
        })?;
        match demo.console_problems().await? {
            Some(problems) => expect(problems.is_empty(), || {
                format!("the console shows: {problems:?}")
            }),
            None => Ok(()),
        }
    })
    .await
}

/// "Email me a link": no tab opens, the page points at the stand-in's outbox (on the
/// demo's own origin, without the test helpers), and the link found there confirms the
/// request.
async fn email_mode_with_the_outbox_link(browser: Browser) -> Result {
    let standin = Standin::spawn(&[]).await?;
    with_demo(browser, &standin, Popups::Allowed, async |demo: &Demo| {
        let main = demo.client().window().await?;
        demo.start("bob@example.com", Mode::Email).await?;
        demo.wait_state("waiting").await?;
        demo.wait_element_text("view", "emailed").await?;
        demo.wait_text("#outbox-hint", "outbox").await?;
        let tabs = demo.tab_count().await?;
        expect(tabs == 1, || {
            format!("email mode opened a tab ({tabs} tabs)")
        })?;

        let outbox = demo.find("#outbox-link").await?.attr("href").await?;
        let outbox = outbox.ok_or("the outbox link has no href")?;
        let mail = demo.fetch_json(&outbox).await?;
        let confirm_url = mail
            .as_array()
            .and_then(|mails| mails.iter().rev().find(|m| m["to"] == "bob@example.com"))
            .and_then(|m| m["confirm_url"].as_str())
            .ok_or_else(|| format!("no mail to bob in the outbox: {mail}"))?
            .to_owned();

        let tab = demo.client().new_window(true).await?;
        demo.client().switch_to_window(tab.handle).await?;
        demo.client().goto(&confirm_url).await?;
        demo.decide(true).await?;
        demo.back_to_main_tab(&main).await?;

        demo.wait_text("#username", "bob").await?;
        demo.wait_text("#level", "None").await
    })
    .await
}

async fn deny(browser: Browser) -> Result {
    let standin = Standin::spawn(&[]).await?;
    with_demo(browser, &standin, Popups::Allowed, async |demo: &Demo| {
        let main = demo.client().window().await?;
        demo.start("alice@example.com", Mode::NewTab).await?;
        demo.switch_to_confirm_tab().await?;
        demo.decide(false).await?;
        demo.back_to_main_tab(&main).await?;
        demo.wait_state("error").await?;
        demo.wait_element_text("error", "no longer valid").await?;
        demo.wait_element_text("error", "Try again").await?;
        demo.wait_text("#error-code", "TOKEN_NOT_FOUND").await
    })
    .await
}

async fn expired_token(browser: Browser) -> Result {
    // The token dies before the session's first poll.
    let standin = Standin::spawn(&["--token-ttl-s", "1"]).await?;
    with_demo(browser, &standin, Popups::Allowed, async |demo: &Demo| {
        demo.start("alice@example.com", Mode::NewTab).await?;
        // Straight to the error: the waiting state may be over before a check sees it.
        demo.wait_state("error").await?;
        demo.wait_element_text("error", "expired").await?;
        demo.wait_text("#error-code", "TOKEN_NOT_FOUND").await
    })
    .await
}

async fn unknown_and_unconfirmed_email(browser: Browser) -> Result {
    let standin = Standin::spawn(&[]).await?;
    with_demo(browser, &standin, Popups::Allowed, async |demo: &Demo| {
        demo.start("nobody@example.com", Mode::NewTab).await?;
        demo.wait_element_text("error", "No TVmaze account uses this email address")
            .await?;
        demo.wait_element_text("error", "Check the spelling")
            .await?;
        demo.wait_text("#error-code", "EMAIL_NOT_FOUND").await?;
        // The tab opened for the confirm page is closed again.
        poll_until("the blank tab to close", || async {
            let tabs = demo.tab_count().await?;
            Ok(if tabs == 1 {
                Ok(())
            } else {
                Err(format!("{tabs} tabs"))
            })
        })
        .await?;

        // The way forward is the form, with focus back in the field.
        demo.start("carol@example.com", Mode::Email).await?;
        demo.wait_element_text("error", "has not confirmed its email address")
            .await?;
        demo.wait_text("#error-code", "EMAIL_NOT_CONFIRMED").await
    })
    .await
}

async fn cancel_while_waiting(browser: Browser) -> Result {
    let standin = Standin::spawn(&[]).await?;
    with_demo(browser, &standin, Popups::Allowed, async |demo: &Demo| {
        demo.start("alice@example.com", Mode::NewTab).await?;
        demo.wait_state("waiting").await?;
        demo.inner("button[part~=cancel]").await?.click().await?;
        demo.wait_element_text("status", "cancelled").await?;
        demo.wait_state("start").await?;
        // The tab it opened is closed, not left on a page that no longer means anything.
        poll_until("the confirm tab to close", || async {
            let tabs = demo.tab_count().await?;
            Ok(if tabs == 1 {
                Ok(())
            } else {
                Err(format!("{tabs} tabs"))
            })
        })
        .await?;
        // Nothing left to resume: a reload starts over.
        demo.reload().await?;
        let state = demo.settled_state().await?;
        expect(state == "start", || {
            format!("after Cancel a reload resumed (state {state})")
        })
    })
    .await
}

async fn reload_while_waiting_resumes(browser: Browser) -> Result {
    let standin = Standin::spawn(&[]).await?;
    with_demo(browser, &standin, Popups::Allowed, async |demo: &Demo| {
        let main = demo.client().window().await?;
        demo.start("alice@example.com", Mode::NewTab).await?;
        demo.wait_state("waiting").await?;

        demo.reload().await?;
        // The reloaded page resumes the stored pairing: waiting, with its confirm link.
        demo.wait_state("waiting").await?;
        demo.wait_element_text("view", "waiting for you to confirm")
            .await?;
        let starts = standin
            .served()
            .iter()
            .filter(|s| s.path == "/v1/auth/start" && s.method == "POST")
            .count();
        expect(starts == 1, || {
            format!("the reload started again ({starts} starts)")
        })?;

        demo.switch_to_confirm_tab().await?;
        demo.decide(true).await?;
        demo.back_to_main_tab(&main).await?;
        demo.wait_text("#username", "alice").await
    })
    .await
}

/// A username carrying markup is shown literally and creates no element.
async fn html_from_the_server_is_shown_as_text(browser: Browser) -> Result {
    let users = repo_root().join("e2e/fixtures/users-html.json");
    let users = users.to_str().ok_or("non-UTF-8 path")?;
    let standin = Standin::spawn(&["--users", users]).await?;
    with_demo(browser, &standin, Popups::Allowed, async |demo: &Demo| {
        let main = demo.client().window().await?;
        demo.start("mallory@example.com", Mode::NewTab).await?;
        demo.switch_to_confirm_tab().await?;
        demo.decide(true).await?;
        demo.back_to_main_tab(&main).await?;

        demo.wait_text("#level", "Gold").await?;
        let shown = demo.text("#username").await?;
        let expected = "<img src=x onerror=\"document.body.dataset.pwned='yes'\"><b>mallory</b>";
        expect(shown == expected, || {
            format!("the username was not shown literally: {shown:?}")
        })?;
        let children = demo.client().find_all(Locator::Css("#username *")).await?;
        let images = demo.client().find_all(Locator::Css("img")).await?;
        expect(children.is_empty() && images.is_empty(), || {
            "the username's markup created elements".into()
        })?;
        // The element too shows it as text: no element made of it in its shadow DOM.
        demo.wait_element_text("view", "<b>mallory</b>").await?;
        let inside = demo
            .js("return document.querySelector('tvmaze-sign-in').shadowRoot.querySelectorAll('img, b').length")
            .await?;
        expect(inside == 0, || {
            format!("the username's markup created {inside} elements in the element")
        })
    })
    .await
}

async fn local_storage(demo: &Demo) -> Result<String> {
    let value = demo.js("return JSON.stringify(localStorage)").await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

fn expect(ok: bool, why: impl FnOnce() -> String) -> Result {
    if ok {
        Ok(())
    } else {
        Err(why().into())
    }
}
