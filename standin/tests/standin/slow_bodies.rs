//! Slow request bodies: a body must arrive at a minimum rate and within a deadline, and
//! connections stuck in a body make way at the connection cap like idle ones, so a
//! slow-body attack cannot starve normal requests on either origin.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::common::Standin;

/// A complete POST head announcing a 60 000-byte body, none of which is sent yet.
fn slow_head(host: &str) -> String {
    format!(
        "POST /v1/auth/start HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: 60000\r\n\r\n"
    )
}

/// The status line of whatever `stream` answers within `limit`, or why there is none.
async fn answer_within(stream: &mut TcpStream, limit: Duration) -> Result<String, String> {
    let mut buf = [0u8; 1024];
    match tokio::time::timeout(limit, stream.read(&mut buf)).await {
        Err(_) => Err("no answer".into()),
        Ok(Ok(0)) => Err("closed without an answer".into()),
        Ok(Err(e)) => Err(e.to_string()),
        Ok(Ok(n)) => Ok(String::from_utf8_lossy(&buf[..n])
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()),
    }
}

#[tokio::test]
async fn a_body_slower_than_the_minimum_rate_is_408_within_seconds() {
    let s = Standin::spawn(&[]).await;
    let mut stream = TcpStream::connect(s.api_addr()).await.expect("connect");
    let started = Instant::now();
    stream
        .write_all(slow_head(s.api_addr()).as_bytes())
        .await
        .expect("head");
    // A byte every 500 ms, for at most 10 s.
    let mut answer = Err(String::new());
    for _ in 0..20 {
        let _ = stream.write_all(b" ").await;
        answer = answer_within(&mut stream, Duration::from_millis(500)).await;
        if answer.is_ok() {
            break;
        }
    }
    let took = started.elapsed();
    assert_eq!(answer.as_deref(), Ok("HTTP/1.1 408 Request Timeout"));
    // The first 2 s are free; then at least 1 KiB/s is owed.
    assert!(took >= Duration::from_millis(1900), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[tokio::test]
async fn at_the_cap_connections_stuck_in_a_body_make_way_for_a_real_request() {
    let s = Standin::spawn(&["--max-connections", "50"]).await;
    let mut stuck = Vec::new();
    for _ in 0..60 {
        let mut stream = TcpStream::connect(s.api_addr()).await.expect("connect");
        let _ = stream.write_all(slow_head(s.api_addr()).as_bytes()).await;
        stuck.push(stream);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let started = Instant::now();
    let response = s.start("nobody@example.com", None).await;
    assert_eq!(response.status(), 404);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

/// Raises this process's open-file soft limit to at least `needed` (up to the hard
/// limit); panics with the reason if it cannot.
fn raise_open_file_limit(needed: u64) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read or write the struct passed.
    let got = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(got, 0, "getrlimit failed");
    if limit.rlim_cur >= needed {
        return;
    }
    assert!(
        limit.rlim_max >= needed,
        "this test needs `ulimit -n` {needed}; the hard limit is {}",
        limit.rlim_max
    );
    limit.rlim_cur = needed;
    // SAFETY: as above.
    let set = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) };
    assert_eq!(set, 0, "setrlimit failed");
}

/// One attacking connection, kept going until `stop`: a full POST head announcing
/// 60 000 bytes, then one byte every 2 s; when the server answers or closes, a new one.
async fn attacker(addr: String, connected: Arc<AtomicUsize>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut stream) = TcpStream::connect(&addr).await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        if stream.write_all(slow_head(&addr).as_bytes()).await.is_err() {
            continue;
        }
        connected.fetch_add(1, Ordering::Relaxed);
        let mut buf = [0u8; 1024];
        while !stop.load(Ordering::Relaxed) {
            if stream.write_all(b" ").await.is_err() {
                break;
            }
            // Wait 2 s, reading (and discarding) what the server sends meanwhile.
            match tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buf)).await {
                Err(_) => {}
                Ok(Ok(0) | Err(_)) => break,
                Ok(Ok(_)) => break, // answered (408): the server is done with it
            }
        }
        connected.fetch_sub(1, Ordering::Relaxed);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_slow_bodies_do_not_starve_normal_requests_on_either_origin() {
    raise_open_file_limit(4096);
    // The stand-in's own default cap (1 000 connections) with room for descriptors.
    let s = Standin::spawn_with_file_limit(4096, &["--poll-interval-ms", "0"]).await;
    let addr = s.api_addr().to_owned();
    let (connected, stop) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let mut attackers = tokio::task::JoinSet::new();
    for _ in 0..1000 {
        attackers.spawn(attacker(addr.clone(), connected.clone(), stop.clone()));
    }
    // Let the attack reach its 1 000 connections (bounded: 10 s).
    let ramp = Instant::now();
    while connected.load(Ordering::Relaxed) < 1000 && ramp.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let peak = connected.load(Ordering::Relaxed);

    // Normal requests for 20 s, one to each origin every 400 ms, each allowed 5 s.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    let mut normal = tokio::task::JoinSet::new();
    let api_url = format!("{}/auth/start", s.api);
    let demo_url = format!("{}demo-config.json", s.demo);
    let window = Instant::now();
    while window.elapsed() < Duration::from_secs(20) {
        let api = client
            .post(&api_url)
            .json(&serde_json::json!({"email": "alice@example.com", "email_confirmation": false}));
        normal.spawn(async move { ("api", api.send().await.is_ok_and(|r| r.status() == 200)) });
        let demo = client.get(&demo_url);
        normal.spawn(async move { ("demo", demo.send().await.is_ok_and(|r| r.status() == 200)) });
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    let results = normal.join_all().await;
    let during = connected.load(Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    attackers.abort_all();

    let mut starved = Vec::new();
    for origin in ["api", "demo"] {
        let sent = results.iter().filter(|(o, _)| *o == origin).count();
        let answered = results.iter().filter(|(o, ok)| *o == origin && *ok).count();
        eprintln!(
            "slow-body attack ({peak} connections at the start, {during} at the end): \
             {answered} of {sent} normal requests answered on the {origin} origin"
        );
        if answered * 100 < sent * 95 {
            starved.push(format!("{origin}: only {answered} of {sent} answered"));
        }
    }
    assert!(starved.is_empty(), "{starved:?}");
}
