//! The command line. Flags and defaults are part of the contract other components
//! (scripts, wasm tests, e2e tests) rely on, so change them only together with those.

use std::path::PathBuf;

use clap::Parser;

/// A local stand-in of TVmaze's auth API (start, poll, validate), plus the demo's
/// static files on a second origin.
#[derive(Debug, Parser)]
#[command(name = "tvmaze-standin", version, about)]
pub struct Cli {
    /// Where the API origin listens (HOST:PORT; port 0 picks a free port).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8081")]
    pub api_addr: String,

    /// Where the demo origin (www/ and pkg/) listens (HOST:PORT; port 0 picks a free port).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub demo_addr: String,

    /// Minimum time between two polls of one token; a sooner poll answers 429.
    /// TVmaze asks for at most one poll every 10 seconds. 0 disables the limit.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub poll_interval_ms: u64,

    /// How long a token lives; after that poll answers 404. TVmaze does not document it.
    #[arg(long, value_name = "SECONDS", default_value_t = 900)]
    pub token_ttl_s: u64,

    /// Send Retry-After on 429 answers. Off by default because TVmaze documents none,
    /// and clients must cope without it.
    #[arg(long)]
    pub retry_after: bool,

    /// Leave out every CORS header, so clients can test a request the browser blocks.
    #[arg(long)]
    pub no_cors: bool,

    /// Also answer `/v1/auth/*` on the demo origin, as an app's own server forwarding
    /// them to TVmaze would, and tell the page to use the same-origin base "/v1": the
    /// page then needs no CORS answer from the API origin (try it with --no-cors).
    /// Confirm URLs then point at the demo origin too, which serves the confirm pages.
    #[arg(long)]
    pub proxy_api: bool,

    /// Serve the test helpers under /_standin/ (outbox, handed-out keys, deciding for a
    /// user, faults). Off by default: together they take over a pairing, so only the
    /// tests turn them on, and then they answer loopback pages and plain clients only.
    #[arg(long)]
    pub test_helpers: bool,

    /// JSON file of users (see standin/users.json); default: the built-in copy of it.
    #[arg(long, value_name = "FILE")]
    pub users: Option<PathBuf>,

    /// More than N starts for one email address within a minute answer 429.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub start_limit_per_minute: u32,

    /// A request head must be complete within this long of the connection's accept
    /// or of its first byte; slower peers are disconnected. Browsers send a head in
    /// one packet, so 10 s only ever catches stalled or hostile peers.
    #[arg(long, value_name = "MS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_ms: u64,

    /// A connection with no request in progress and no bytes moving is closed after
    /// this long. 30 s is well above the 10 s between a client's polls, so a polling
    /// client keeps its connection instead of racing the server's close.
    #[arg(long, value_name = "MS", default_value_t = 30_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_ms: u64,

    /// At most N connections are open at once (both origins together); beyond that the
    /// longest-idle ones are closed to make room. Keep it below the open-file limit
    /// (`ulimit -n`, often 1024).
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: u64,

    /// Folder served at / on the demo origin; default: the repository's www/.
    #[arg(long, value_name = "DIR")]
    pub www_dir: Option<PathBuf>,

    /// Folder served at /pkg/ on the demo origin; default: the repository's pkg/.
    #[arg(long, value_name = "DIR")]
    pub pkg_dir: Option<PathBuf>,
}

impl Cli {
    /// The demo's page folder, defaulting to `<repo>/www` as seen at build time.
    pub fn www_dir(&self) -> PathBuf {
        self.www_dir
            .clone()
            .unwrap_or_else(|| repo_root().join("www"))
    }

    /// The built package folder, defaulting to `<repo>/pkg` (wasm-pack's output).
    pub fn pkg_dir(&self) -> PathBuf {
        self.pkg_dir
            .clone()
            .unwrap_or_else(|| repo_root().join("pkg"))
    }
}

/// The repository root: the stand-in's manifest lives one folder below it.
fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
