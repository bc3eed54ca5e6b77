//! The command line, the announced line, logs and clean exits on signals.

use crate::common::{basic, Standin};

#[tokio::test]
async fn announces_exactly_one_line_and_exits_cleanly_on_sigterm() {
    let s = Standin::spawn(&[]).await;
    let rest = s
        .line
        .strip_prefix("tvmaze-standin api=http://127.0.0.1:")
        .expect("prefix");
    let (api_port, demo) = rest
        .split_once("/v1 demo=http://127.0.0.1:")
        .expect("shape");
    let demo_port = demo.strip_suffix('/').expect("trailing slash");
    assert!(api_port.parse::<u16>().expect("port") > 0);
    assert!(demo_port.parse::<u16>().expect("port") > 0);
    assert_ne!(api_port, demo_port);
    let (status, rest) = s.stop("TERM").await;
    assert!(status.success(), "{status:?}");
    assert_eq!(rest, "", "nothing else on stdout");
}

#[tokio::test]
async fn exits_cleanly_on_sigint() {
    let s = Standin::spawn(&[]).await;
    assert_eq!(s.poll("x").await.status(), 404);
    let (status, _) = s.stop("INT").await;
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn logs_one_line_per_request_and_never_a_key_or_authorization_header() {
    let s = Standin::spawn(&[]).await;
    let (_, key, _) = s.pair("alice@example.com").await; // start, confirm, poll
    let header = basic("alice", &key);
    assert_eq!(s.validate(Some(&header)).await.status(), 200);
    assert_eq!(
        s.validate(Some(&basic("alice", "guess"))).await.status(),
        401
    );
    let log = s.log();
    assert!(!log.contains(&key), "API key in the log");
    assert!(
        !log.contains(header.trim_start_matches("Basic ")),
        "Authorization in the log"
    );
    assert!(!log.contains("guess"));
    let request_lines = log.lines().filter(|l| l.contains(" path=")).count();
    assert_eq!(request_lines, 5, "{log}");
    assert!(log.contains("path=\"/v1/auth/validate\" status=200"));
}

#[tokio::test]
async fn a_taken_port_or_a_bad_flag_fails_with_a_message() {
    let s = Standin::spawn(&[]).await;
    let port = s.origin.rsplit(':').next().expect("port").to_owned();
    let taken = format!("127.0.0.1:{port}");
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_tvmaze-standin"))
        .args(["--api-addr", &taken, "--demo-addr", "127.0.0.1:0"])
        .output()
        .await
        .expect("run");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot listen"));

    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_tvmaze-standin"))
        .args(["--poll-interval-ms", "soon"])
        .output()
        .await
        .expect("run");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());

    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_tvmaze-standin"))
        .args([
            "--users",
            "/nonexistent/users.json",
            "--api-addr",
            "127.0.0.1:0",
            "--demo-addr",
            "127.0.0.1:0",
        ])
        .output()
        .await
        .expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
}
