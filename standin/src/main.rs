//! `tvmaze-standin`: a faithful local stand-in of TVmaze's auth API (start, poll,
//! validate) for the demo and every test, plus the demo's static files on a second
//! origin. See README.md for the command line and a walk-through.

mod api;
mod basic_auth;
mod body_limit;
mod cli;
mod confirm_page;
mod connections;
mod demo;
mod error_body;
mod faults;
mod helpers;
mod secret;
mod server;
mod site;
mod state;
mod store;
mod user_api;
mod users;

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser as _;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::cli::Cli;
use crate::connections::{ConnLimits, Connections};
use crate::state::{ApiConfig, AppState};
use crate::store::{Limits, Store};
use crate::users::Users;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Logs go to stderr; stdout carries only the one line scripts read.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(false)
        .init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tvmaze-standin: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let users = Users::load(cli.users.as_deref())?;
    let api_listener = bind(&cli.api_addr).await?;
    let demo_listener = bind(&cli.demo_addr).await?;
    let api_origin = origin(&api_listener)?;
    let demo_origin = origin(&demo_listener)?;

    let limits = Limits {
        poll_interval: Duration::from_millis(cli.poll_interval_ms),
        token_ttl: Duration::from_secs(cli.token_ttl_s),
        starts_per_minute: cli.start_limit_per_minute,
    };
    // Behind --proxy-api the page reaches everything through the demo origin, so the
    // confirm URLs it is handed (and checks) are on that origin as well.
    let public_origin = if cli.proxy_api {
        demo_origin.clone()
    } else {
        api_origin.clone()
    };
    let config = ApiConfig::new(cli.retry_after, public_origin);
    let state = AppState::new(Store::new(users, limits), config);
    let api = api::router(state.clone(), !cli.no_cors, cli.test_helpers);
    let proxied = cli.proxy_api.then(|| api.clone());
    let demo = demo::router(
        cli.www_dir(),
        cli.pkg_dir(),
        &api_origin,
        state.store.clone(),
        proxied,
    )?;

    let stop_signals = StopSignals::install()?;
    // Both listeners are bound, so the URLs are final: announce them, and flush, because
    // whoever started us is blocked reading this line from a pipe.
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "tvmaze-standin api={api_origin}/v1 demo={demo_origin}/"
    )
    .and_then(|()| stdout.flush())
    .map_err(|e| format!("cannot write to stdout: {e}"))?;
    drop(stdout);

    // One cap for both origins: they share the process's file descriptors.
    let connections = std::sync::Arc::new(Connections::new(ConnLimits {
        header_read: Duration::from_millis(cli.header_read_timeout_ms),
        idle: Duration::from_millis(cli.idle_timeout_ms),
        max: usize::try_from(cli.max_connections).unwrap_or(usize::MAX),
    }));
    let (stop, stopped) = watch::channel(false);
    let api_task = tokio::spawn(server::serve(
        api_listener,
        api,
        "api",
        connections.clone(),
        stopped.clone(),
    ));
    let demo_task = tokio::spawn(server::serve(
        demo_listener,
        demo,
        "demo",
        connections,
        stopped,
    ));

    stop_signals.recv().await;
    tracing::info!("shutting down");
    // Receivers live in the tasks until they end, so this cannot fail meaningfully.
    let _ = stop.send(true);
    let _ = tokio::join!(api_task, demo_task);
    Ok(())
}

async fn bind(addr: &str) -> Result<TcpListener, String> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))
}

/// `http://HOST:PORT` of a bound listener. A wildcard address is not somewhere a
/// browser can go, so it is announced as the loopback address of the same family.
fn origin(listener: &TcpListener) -> Result<String, String> {
    let mut addr = listener
        .local_addr()
        .map_err(|e| format!("no local address: {e}"))?;
    if addr.ip().is_unspecified() {
        let loopback = match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        };
        addr.set_ip(loopback);
    }
    Ok(format!("http://{addr}"))
}

/// SIGINT (Ctrl-C) and SIGTERM (what test harnesses and CI send), listened for from
/// before the announcement: whoever reads the line may signal at once, and a signal
/// that arrives before its handler exists would kill the process uncleanly.
#[cfg(unix)]
struct StopSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignals {
    fn install() -> Result<Self, String> {
        use tokio::signal::unix::{signal, SignalKind};
        let install = |kind| signal(kind).map_err(|e| format!("cannot handle signals: {e}"));
        Ok(Self {
            interrupt: install(SignalKind::interrupt())?,
            terminate: install(SignalKind::terminate())?,
        })
    }

    async fn recv(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// Elsewhere only Ctrl-C exists; it is registered on first poll, which is good enough.
#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn install() -> Result<Self, String> {
        Ok(Self)
    }

    async fn recv(self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}
