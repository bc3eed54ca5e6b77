//! The two browsers, each behind its own WebDriver driver process, headless.

use std::fmt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tokio::process::{Child, Command};

use crate::Result;

/// A browser the flows run in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    /// Debian's chromium through chromedriver (`$CHROMEDRIVER`).
    Chromium,
    /// firefox-esr through geckodriver (`$GECKODRIVER`).
    Firefox,
}

impl fmt::Display for Browser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Browser::Chromium => "Chromium",
            Browser::Firefox => "Firefox",
        })
    }
}

/// Whether the browser's popup blocker is on. Even when on, every browser lets a real
/// click open a tab (which is why the page opens it inside the click handler); what it
/// blocks is a `window.open` outside a user gesture, so the blocked-tab flow presses
/// Start from a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Popups {
    /// The drivers' default: the blocker is off, every `window.open` opens a tab.
    Allowed,
    /// The browser's own blocker is on.
    Blocked,
}

/// Chromium's narrowest window, headless too.
const CHROMIUM_MIN_WIDTH: u32 = 500;

/// The browser window size of a session, in CSS pixels.
#[derive(Clone, Copy, Debug)]
pub struct WindowSize {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl WindowSize {
    /// The size the tests use.
    pub const DESKTOP: Self = Self {
        width: 1280,
        height: 800,
    };
}

/// A driver process with one browser session on it. Call [`Session::close`] to end
/// the browser cleanly; dropping only kills the driver.
pub struct Session {
    /// The WebDriver client.
    pub client: Client,
    /// Which browser this is.
    pub browser: Browser,
    _driver: Child,
}

impl Session {
    /// The value of the expression `js` on the current page, awaited if it is a promise;
    /// what it throws, or rejects with, is the error.
    pub async fn eval(&self, js: &str) -> Result<serde_json::Value> {
        let script = format!(
            "const done = arguments[arguments.length - 1]; \
             Promise.resolve().then(() => ({js})).then((v) => done({{ v }}), (e) => done({{ e: String(e) }}));"
        );
        let out = self.client.execute_async(&script, vec![]).await?;
        match out.get("e") {
            Some(e) => Err(format!("{js} threw {e}").into()),
            None => Ok(out.get("v").cloned().unwrap_or(serde_json::Value::Null)),
        }
    }

    /// Starts the browser's driver on a free port and opens a headless session.
    pub async fn start(browser: Browser, popups: Popups, size: WindowSize) -> Result<Self> {
        let port = free_port()?;
        let driver = spawn_driver(browser, port)?;
        wait_for_port(port, Duration::from_secs(20)).await?;
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities(browser, popups, size));
        // Bounded: a browser that hangs while starting (memory pressure on a 2-core CI
        // machine) must fail this test, not stall the whole run.
        let url = format!("http://127.0.0.1:{port}");
        let connect = builder.connect(&url);
        let client = tokio::time::timeout(Duration::from_secs(90), connect)
            .await
            .map_err(|_| format!("{browser}: no WebDriver session within 90 s"))?
            .map_err(|e| format!("{browser}: no WebDriver session: {e}"))?;
        // Firefox ignores a window size passed as an argument in some versions; setting
        // it through WebDriver works in both (for a window, not an emulated phone).
        if browser == Browser::Firefox || size.width >= CHROMIUM_MIN_WIDTH {
            client.set_window_size(size.width, size.height).await?;
        }
        Ok(Self {
            client,
            browser,
            _driver: driver,
        })
    }

    /// What the page logged to the browser console at WARNING level or above, as
    /// "LEVEL message" lines; `None` where the driver cannot tell (geckodriver has no
    /// log endpoint, only chromedriver's legacy one).
    pub async fn console_problems(&self) -> Result<Option<Vec<String>>> {
        if self.browser != Browser::Chromium {
            return Ok(None);
        }
        let entries = self.client.issue_cmd(BrowserLog).await?;
        let entries = entries
            .as_array()
            .ok_or_else(|| format!("the browser log is not a list: {entries}"))?;
        Ok(Some(
            entries
                .iter()
                .filter(|entry| matches!(entry["level"].as_str(), Some("SEVERE" | "WARNING")))
                .map(|entry| {
                    let text = |field: &str| entry[field].as_str().unwrap_or_default().to_owned();
                    format!("{} {}", text("level"), text("message"))
                })
                .collect(),
        ))
    }

    /// Makes the page see `prefers-color-scheme: dark` (or light), through chromedriver's
    /// DevTools passthrough; Chromium only (the screenshots' light and dark versions).
    pub async fn emulate_color_scheme(&self, dark: bool) -> Result {
        if self.browser != Browser::Chromium {
            return Err("colour-scheme emulation needs Chromium".into());
        }
        self.client.issue_cmd(ColorScheme(dark)).await?;
        Ok(())
    }

    /// Ends the browser session; the driver is killed on drop.
    pub async fn close(self) {
        // A session that already broke cannot be closed more; the driver's death
        // still ends the browser.
        let _ = self.client.close().await;
    }
}

/// chromedriver's `POST /session/{id}/se/log` for the "browser" log (the console),
/// which it keeps when the session asked for it with `goog:loggingPrefs`. Each call
/// returns the entries since the last one.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// chromedriver's `POST /session/{id}/goog/cdp/execute` with DevTools'
/// `Emulation.setEmulatedMedia`: the page's `prefers-color-scheme`, dark when true.
#[derive(Debug)]
struct ColorScheme(bool);

impl WebDriverCompatibleCommand for ColorScheme {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let scheme = if self.0 { "dark" } else { "light" };
        let body = json!({
            "cmd": "Emulation.setEmulatedMedia",
            "params": { "features": [{ "name": "prefers-color-scheme", "value": scheme }] },
        });
        (http::Method::POST, Some(body.to_string()))
    }
}

fn spawn_driver(browser: Browser, port: u16) -> Result<Child> {
    let (var, default, port_args) = match browser {
        Browser::Chromium => (
            "CHROMEDRIVER",
            "/usr/bin/chromedriver".to_owned(),
            vec![format!("--port={port}")],
        ),
        Browser::Firefox => (
            "GECKODRIVER",
            // Where `cargo install` put it (scripts/setup.sh), as cargo finds it.
            std::env::var("CARGO_HOME")
                .unwrap_or_else(|_| std::env::var("HOME").unwrap_or_default() + "/.cargo")
                + "/bin/geckodriver",
            // Marionette and BiDi on free ports so two Firefox sessions can run at once.
            vec![
                "--port".into(),
                port.to_string(),
                "--marionette-port".into(),
                free_port()?.to_string(),
                "--websocket-port".into(),
                free_port()?.to_string(),
            ],
        ),
    };
    let path = std::env::var(var).unwrap_or(default);
    Command::new(&path)
        .args(port_args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {path} (set {var}): {e}").into())
}

fn capabilities(browser: Browser, popups: Popups, size: WindowSize) -> Capabilities {
    let caps = match browser {
        Browser::Chromium => {
            let args = vec![
                "--headless".to_owned(),
                // Root in a container: Chromium's sandbox cannot start there.
                "--no-sandbox".into(),
                "--disable-gpu".into(),
                "--disable-dev-shm-usage".into(),
                "--disable-background-networking".into(),
                "--disable-component-update".into(),
                "--disable-sync".into(),
                "--no-first-run".into(),
                format!("--window-size={},{}", size.width, size.height),
            ];
            let mut options = json!({
                "binary": std::env::var("CHROMIUM_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": args,
            });
            if size.width < CHROMIUM_MIN_WIDTH {
                // Narrower windows are widened to 500 px; emulating a phone's screen
                // gives the page a true 360 px viewport.
                options["mobileEmulation"] = json!({
                    "deviceMetrics": { "width": size.width, "height": size.height, "pixelRatio": 1.0 }
                });
            }
            if popups == Popups::Blocked {
                // chromedriver turns the popup blocker off with this switch; without it
                // Chromium's own blocker decides.
                options["excludeSwitches"] = json!(["disable-popup-blocking"]);
            }
            json!({
                "browserName": "chrome",
                "goog:chromeOptions": options,
                // Keeps the console for Session::console_problems.
                "goog:loggingPrefs": { "browser": "ALL" },
            })
        }
        Browser::Firefox => {
            let mut prefs = json!({});
            if popups == Popups::Blocked {
                // geckodriver turns the blocker off; this turns it back on. (Emptying
                // dom.popup_allowed_events as well does not stop a real click from
                // opening a tab in Firefox 128+, which decides by user activation.)
                prefs = json!({
                    "dom.disable_open_during_load": true,
                    "dom.popup_allowed_events": "",
                });
            }
            json!({
                "browserName": "firefox",
                "moz:firefoxOptions": {
                    "binary": std::env::var("FIREFOX_BIN").unwrap_or_else(|_| "/usr/bin/firefox-esr".into()),
                    "args": ["-headless", "-width", size.width.to_string(), "-height", size.height.to_string()],
                    "prefs": prefs,
                }
            })
        }
    };
    match caps {
        serde_json::Value::Object(map) => map,
        _ => Capabilities::new(),
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

async fn wait_for_port(port: u16, timeout: Duration) -> Result {
    let deadline = Instant::now() + timeout;
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("no WebDriver driver listening on port {port}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
