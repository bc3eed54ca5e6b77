//! Spawning the real `tvmaze-standin` binary on free ports and talking to it over HTTP.

use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::{Client, Response};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, BufReader};
use tokio::process::{Child, ChildStdout, Command};

/// The binary under test, built by Cargo for this test run.
const BINARY: &str = env!("CARGO_BIN_EXE_tvmaze-standin");

/// A running stand-in; killed when dropped, so a failing test leaves nothing behind.
pub struct Standin {
    child: Child,
    stdout: BufReader<ChildStdout>,
    /// The announced API base, `http://127.0.0.1:PORT/v1`.
    pub api: String,
    /// The API origin, `http://127.0.0.1:PORT`.
    pub origin: String,
    /// The announced demo URL, `http://127.0.0.1:PORT/`.
    pub demo: String,
    /// The line the stand-in printed, exactly.
    pub line: String,
    log: PathBuf,
    _log_dir: TempDir,
    /// A client without connection reuse, so a dropped connection never leaks into
    /// the next request.
    pub http: Client,
}

/// A folder removed again when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// The folder's path.
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh empty folder for one test's files, removed when the guard drops.
pub fn temp_dir(tag: &str) -> TempDir {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "tvmaze-standin-test-{}-{n}-{tag}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    TempDir(dir)
}

impl Standin {
    /// Starts the stand-in on free ports with `args` after the defaults of these tests:
    /// the test helpers on, no poll interval and no practical start limit (tests of
    /// those limits pass their own).
    pub async fn spawn(args: &[&str]) -> Self {
        let mut all = vec![
            "--api-addr",
            "127.0.0.1:0",
            "--demo-addr",
            "127.0.0.1:0",
            "--test-helpers",
            "--poll-interval-ms",
            "0",
            "--start-limit-per-minute",
            "100000",
        ];
        all.extend_from_slice(args);
        Self::spawn_exact(&all).await
    }

    /// Starts the stand-in with exactly these arguments.
    pub async fn spawn_exact(args: &[&str]) -> Self {
        let mut command = Command::new(BINARY);
        command.args(args);
        Self::spawn_command(command).await
    }

    /// Starts the stand-in like [`Standin::spawn`], limited to `files` open files
    /// (`ulimit -n`, through sh), to run it out of file descriptors.
    pub async fn spawn_with_file_limit(files: u32, args: &[&str]) -> Self {
        let mut command = Command::new("sh");
        command
            .args(["-c", "ulimit -n \"$0\" && exec \"$@\""])
            .arg(files.to_string())
            .arg(BINARY)
            .args([
                "--api-addr",
                "127.0.0.1:0",
                "--demo-addr",
                "127.0.0.1:0",
                "--start-limit-per-minute",
                "100000",
            ])
            .args(args);
        Self::spawn_command(command).await
    }

    async fn spawn_command(mut command: Command) -> Self {
        let log_dir = temp_dir("log");
        let log = log_dir.path().join("stderr.log");
        let stderr = std::fs::File::create(&log).expect("log file");
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .expect("spawn tvmaze-standin");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        tokio::time::timeout(Duration::from_secs(30), stdout.read_line(&mut line))
            .await
            .expect("stand-in announced itself in time")
            .expect("read stdout");
        let line = line.trim_end_matches('\n').to_owned();
        let (api, demo) = parse_line(&line).unwrap_or_else(|| panic!("bad line {line:?}"));
        let origin = api.trim_end_matches("/v1").to_owned();
        let http = Client::builder()
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        Self {
            child,
            stdout,
            api,
            origin,
            demo,
            line,
            log,
            _log_dir: log_dir,
            http,
        }
    }

    /// `POST /v1/auth/start`; `email_confirmation: None` leaves the field out.
    pub async fn start(&self, email: &str, email_confirmation: Option<bool>) -> Response {
        let mut body = json!({ "email": email });
        if let Some(flag) = email_confirmation {
            body["email_confirmation"] = json!(flag);
        }
        self.post_json("/auth/start", &body).await
    }

    /// Starts a pairing for `email` without an email and returns (token, confirm_url).
    pub async fn start_ok(&self, email: &str) -> (String, String) {
        let response = self.start(email, Some(false)).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("start json");
        (
            body["token"].as_str().expect("token").to_owned(),
            body["confirm_url"]
                .as_str()
                .expect("confirm_url")
                .to_owned(),
        )
    }

    /// `POST /v1/auth/poll`.
    pub async fn poll(&self, token: &str) -> Response {
        self.post_json("/auth/poll", &json!({ "token": token }))
            .await
    }

    /// `GET /v1/auth/validate` with this raw Authorization header (or none).
    pub async fn validate(&self, authorization: Option<&str>) -> Response {
        let mut request = self.http.get(format!("{}/auth/validate", self.api));
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        request.send().await.expect("validate")
    }

    /// Posts `decision` to a confirm page.
    pub async fn decide(&self, confirm_url: &str, decision: &str) -> Response {
        self.http
            .post(confirm_url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(format!("decision={decision}"))
            .send()
            .await
            .expect("confirm form")
    }

    /// Runs the whole pairing for `email` and returns (token, apikey, username).
    pub async fn pair(&self, email: &str) -> (String, String, String) {
        let (token, confirm_url) = self.start_ok(email).await;
        assert_eq!(self.decide(&confirm_url, "confirm").await.status(), 200);
        let response = self.poll(&token).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("poll json");
        (
            token,
            body["apikey"].as_str().expect("apikey").to_owned(),
            body["username"].as_str().expect("username").to_owned(),
        )
    }

    /// `POST` of a JSON value to a path under the API base.
    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.http
            .post(format!("{}{path}", self.api))
            .json(body)
            .send()
            .await
            .expect("post")
    }

    /// `POST` of raw bytes with an optional Content-Type to a path under the API base.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Response {
        let mut request = self.http.post(format!("{}{path}", self.api)).body(body);
        if let Some(value) = content_type {
            request = request.header("Content-Type", value);
        }
        request.send().await.expect("post raw")
    }

    /// `GET` of a path on the API origin.
    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.origin))
            .send()
            .await
            .expect("get")
    }

    /// Arms a fault; asserts the stand-in accepted it.
    pub async fn arm(&self, fault: Value) {
        let response = self
            .http
            .post(format!("{}/_standin/faults", self.origin))
            .json(&fault)
            .send()
            .await
            .expect("arm fault");
        assert_eq!(response.status(), 204, "fault {fault} refused");
    }

    /// Sends `signal` (e.g. "TERM") and waits for the exit; returns the status and
    /// whatever else the stand-in wrote to stdout.
    pub async fn stop(mut self, signal: &str) -> (ExitStatus, String) {
        let pid = self.child.id().expect("running").to_string();
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid])
            .status()
            .expect("kill");
        assert!(sent.success());
        let status = tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .expect("exited in time")
            .expect("wait");
        let mut rest = String::new();
        self.stdout
            .read_to_string(&mut rest)
            .await
            .expect("read rest of stdout");
        (status, rest)
    }

    /// `127.0.0.1:PORT` of the API origin, for raw sockets.
    pub fn api_addr(&self) -> &str {
        self.origin.trim_start_matches("http://")
    }

    /// The stand-in's resident memory in KiB, from /proc (Linux).
    pub fn rss_kib(&self) -> u64 {
        let pid = self.child.id().expect("running");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }

    /// Everything logged to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// `tvmaze-standin api=URL demo=URL` -> (api, demo).
fn parse_line(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("tvmaze-standin api=")?;
    let (api, demo) = rest.split_once(" demo=")?;
    Some((api.to_owned(), demo.to_owned()))
}

/// `Basic base64(user:password)`.
pub fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

/// The body as JSON, asserting it is JSON.
pub async fn json_body(response: Response) -> Value {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"))
}
