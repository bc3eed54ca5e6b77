//! A private `tvmaze-standin` per test: its own users, token lifetime and rate limits,
//! so tests never see each other's tokens and can run in parallel.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::{repo_root, Result};

/// A running stand-in; killed when dropped.
pub struct Standin {
    /// The API base, `http://127.0.0.1:PORT/v1`.
    pub api: String,
    /// The demo page, `http://127.0.0.1:PORT/`.
    pub demo: String,
    /// Started with `--proxy-api`: the API and confirm pages also answer on the demo origin.
    pub proxied: bool,
    /// Every line the stand-in logged so far (one per request answered).
    log: Arc<Mutex<Vec<String>>>,
    _child: Child,
}

/// One request the stand-in answered, read from its log line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    /// "api" or "demo".
    pub origin: String,
    /// The request's method.
    pub method: String,
    /// The request's path.
    pub path: String,
    /// The response's status.
    pub status: u16,
}

impl Served {
    /// Parses a line such as `… INFO origin="demo" method=GET path="/x" status=200 ms=0`;
    /// `None` for every other line (dropped connections, start-up, shutdown).
    pub fn parse(line: &str) -> Option<Self> {
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|word| word.strip_prefix(name)?.strip_prefix('='))
                .map(|value| value.trim_matches('"').to_owned())
        };
        Some(Self {
            origin: field("origin")?,
            method: field("method")?,
            path: field("path")?,
            status: field("status")?.parse().ok()?,
        })
    }
}

impl Standin {
    /// Starts the binary (`TVMAZE_STANDIN_BIN`, else `target/debug/tvmaze-standin`, as every script) on
    /// free ports with `extra` flags after the defaults, and waits for its ready line.
    /// The demo origin serves `www/` and, at `/pkg/`, the npm package as `scripts/pack.sh`
    /// lays it out (`target/npm/package`: the browser entry with `openSession`).
    pub async fn spawn(extra: &[&str]) -> Result<Self> {
        Self::spawn_serving(&repo_root().join("www"), extra).await
    }

    /// [`Standin::spawn`], with the demo origin serving `www` instead of the demo.
    pub async fn spawn_serving(www: &std::path::Path, extra: &[&str]) -> Result<Self> {
        let root = repo_root();
        let bin = std::env::var_os("TVMAZE_STANDIN_BIN")
            .map(Into::into)
            .unwrap_or_else(|| root.join("target/debug/tvmaze-standin"));
        let mut child = Command::new(&bin)
            .args(["--api-addr", "127.0.0.1:0", "--demo-addr", "127.0.0.1:0"])
            // Shorter than the demo's 2 s polling, so the page is never told to slow
            // down; tests that need another pace pass their own flag after these.
            .args(["--poll-interval-ms", "500"])
            // Every test of a run starts from 127.0.0.1; the default of 5 a minute
            // would turn later tests into RATE_LIMITED failures.
            .args(["--start-limit-per-minute", "10000"])
            .arg("--www-dir")
            .arg(www)
            .arg("--pkg-dir")
            .arg(root.join("target/npm/package"))
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            // The stand-in logs every request: kept for the tests that check what the
            // browser asked for, and shown only on demand (it would drown the output).
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e} (build it with `cargo build -p tvmaze-standin` or set TVMAZE_STANDIN_BIN)", bin.display()))?;

        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().ok_or("stand-in stderr not piped")?;
        let verbose = std::env::var_os("TVMAZE_E2E_VERBOSE").is_some();
        let kept = Arc::clone(&log);
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if verbose {
                    eprintln!("{line}");
                }
                if let Ok(mut kept) = kept.lock() {
                    kept.push(line);
                }
            }
        });

        let stdout = child.stdout.take().ok_or("stand-in stdout not piped")?;
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .map_err(|_| "stand-in printed no ready line within 30 s")??
            .ok_or("stand-in exited before printing its ready line")?;
        // Keep reading so a later line never meets a closed pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });

        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|word| word.strip_prefix(name))
                .map(str::to_owned)
                .ok_or_else(|| format!("no {name} in the stand-in's line {line:?}"))
        };
        Ok(Self {
            api: field("api=")?,
            demo: field("demo=")?,
            proxied: extra.contains(&"--proxy-api"),
            log,
            _child: child,
        })
    }

    /// The requests answered so far, in the order the stand-in logged them.
    pub fn served(&self) -> Vec<Served> {
        self.log
            .lock()
            .map(|lines| {
                lines
                    .iter()
                    .filter_map(|line| Served::parse(line))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The API's origin, where the confirm pages live.
    pub fn api_origin(&self) -> &str {
        self.api.strip_suffix("/v1").unwrap_or(&self.api)
    }

    /// Where confirm URLs point: the demo origin with `--proxy-api`, else the API's.
    pub fn confirm_origin(&self) -> &str {
        if self.proxied {
            self.demo.trim_end_matches('/')
        } else {
            self.api_origin()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Served;

    #[test]
    fn parses_a_request_line_and_nothing_else() {
        let line = r#"2026-11-28T09:00:00.000000Z  INFO origin="demo" method=GET path="/favicon.ico" status=404 ms=0"#;
        assert_eq!(
            Served::parse(line),
            Some(Served {
                origin: "demo".into(),
                method: "GET".into(),
                path: "/favicon.ico".into(),
                status: 404,
            })
        );
        let dropped = r#"2026-11-28T09:00:00.000000Z  INFO origin="api" method=POST path="/v1/auth/poll" ms=3 dropped (injected fault)"#;
        assert_eq!(Served::parse(dropped), None);
        assert_eq!(
            Served::parse("2026-11-28T09:00:00.000000Z  INFO shutting down"),
            None
        );
    }
}
