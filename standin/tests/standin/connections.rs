//! Slow and idle peers over raw sockets: the header-read and idle timeouts, the cap on
//! open connections, and running out of file descriptors.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::common::Standin;

/// How long until the server closes `stream` (EOF or reset), reading and discarding
/// whatever it sends; `None` if it is still open after `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    for _ in 0..10_000 {
        let left = limit.checked_sub(started.elapsed())?;
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
    None
}

/// Whether `stream` is still open: nothing to read and no EOF within `wait`.
async fn still_open(stream: &mut TcpStream, wait: Duration) -> bool {
    closed_within(stream, wait).await.is_none()
}

/// One complete request on a kept-alive connection; returns the status line.
async fn request(stream: &mut TcpStream, host: &str) -> String {
    let head = format!("GET /v1/auth/validate HTTP/1.1\r\nHost: {host}\r\n\r\n");
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    // The 401's JSON body ends in `}`; reading stops there, bounded in count and time.
    for _ in 0..100 {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
            .await
            .expect("answered in time")
            .expect("read");
        assert!(n > 0, "closed before answering");
        answer.extend_from_slice(&buf[..n]);
        if answer.ends_with(b"}") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&answer).into_owned();
    text.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let s = Standin::spawn(&["--header-read-timeout-ms", "300"]).await;
    let mut stream = TcpStream::connect(s.api_addr()).await.expect("connect");
    let closed = closed_within(&mut stream, Duration::from_secs(5))
        .await
        .expect("closed, not left open");
    assert!(closed >= Duration::from_millis(250), "{closed:?}");
    assert!(closed < Duration::from_secs(3), "{closed:?}");
}

#[tokio::test]
async fn a_head_trickled_a_line_at_a_time_is_cut_off_at_the_header_timeout() {
    let s = Standin::spawn(&["--header-read-timeout-ms", "500"]).await;
    let mut stream = TcpStream::connect(s.api_addr()).await.expect("connect");
    let started = Instant::now();
    let mut closed = None;
    stream
        .write_all(b"GET /v1/auth/validate HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("first line");
    // A header line every 100 ms, for at most 5 s: never finishing the head.
    for _ in 0..50 {
        if stream.write_all(b"X-Trickle: 1\r\n").await.is_err() {
            closed = Some(started.elapsed());
            break;
        }
        if closed_within(&mut stream, Duration::from_millis(100))
            .await
            .is_some()
        {
            closed = Some(started.elapsed());
            break;
        }
    }
    let closed = closed.expect("cut off, not kept open for 5 s");
    assert!(closed >= Duration::from_millis(450), "{closed:?}");
    assert!(closed < Duration::from_secs(3), "{closed:?}");
}

#[tokio::test]
async fn kept_alive_connections_idle_for_the_idle_timeout_not_the_header_timeout() {
    let s = Standin::spawn(&[
        "--header-read-timeout-ms",
        "300",
        "--idle-timeout-ms",
        "1500",
    ])
    .await;
    let mut stream = TcpStream::connect(s.api_addr()).await.expect("connect");
    assert_eq!(
        request(&mut stream, s.api_addr()).await,
        "HTTP/1.1 401 Unauthorized"
    );
    // Idle for longer than the header timeout: still open, and serves the next request.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        request(&mut stream, s.api_addr()).await,
        "HTTP/1.1 401 Unauthorized"
    );
    let closed = closed_within(&mut stream, Duration::from_secs(6))
        .await
        .expect("closed once idle for the idle timeout");
    assert!(closed >= Duration::from_millis(1400), "{closed:?}");
    assert!(closed < Duration::from_secs(4), "{closed:?}");
}

#[tokio::test]
async fn at_the_cap_the_longest_idle_connections_make_way_for_a_real_request() {
    let s = Standin::spawn(&[
        "--max-connections",
        "50",
        "--header-read-timeout-ms",
        "60000",
        "--idle-timeout-ms",
        "60000",
    ])
    .await;
    // 60 slowloris connections, oldest first, each a head that never ends.
    let mut trickling = Vec::new();
    for _ in 0..60 {
        let mut stream = TcpStream::connect(s.api_addr()).await.expect("connect");
        let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await;
        trickling.push(stream);
        // Let the server accept them in order, so "oldest" is well defined.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    for stream in &mut trickling {
        let _ = stream.write_all(b"X-Trickle: 1\r\n").await;
    }
    let started = Instant::now();
    let response = s.start("nobody@example.com", None).await;
    assert_eq!(response.status(), 404);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // Room was made by closing the oldest (11 of them: 10 over the cap, plus one for
    // the request above), and the newest are untouched.
    let mut closed = 0;
    for stream in &mut trickling[..11] {
        if !still_open(stream, Duration::from_millis(500)).await {
            closed += 1;
        }
    }
    assert!(closed >= 10, "only {closed} of the oldest 11 were closed");
    for (i, stream) in trickling[20..].iter_mut().enumerate() {
        assert!(
            still_open(stream, Duration::from_millis(20)).await,
            "newer {i}"
        );
    }
}

#[tokio::test]
async fn running_out_of_file_descriptors_is_logged_once_and_sheds_idle_connections() {
    let s = Standin::spawn_with_file_limit(64, &[]).await;
    // More silent connections than the process has descriptors for.
    let mut idle = Vec::new();
    for _ in 0..100 {
        idle.push(TcpStream::connect(s.api_addr()).await.expect("connect"));
    }
    let started = Instant::now();
    let response = s.start("nobody@example.com", None).await;
    assert_eq!(response.status(), 404);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let log = s.log();
    let lines = log.lines().filter(|l| l.contains("accept failed")).count();
    assert_eq!(lines, 1, "{log}");
    assert!(log.contains("Too many open files"), "{log}");
}
