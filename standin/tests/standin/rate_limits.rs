//! Both rate limits, with and without Retry-After.

use std::time::{Duration, Instant};

use crate::common::Standin;

async fn standin(args: &[&str]) -> Standin {
    let mut all = vec!["--api-addr", "127.0.0.1:0", "--demo-addr", "127.0.0.1:0"];
    all.extend_from_slice(args);
    Standin::spawn_exact(&all).await
}

#[tokio::test]
async fn polling_sooner_than_the_interval_is_429_without_retry_after_by_default() {
    let s = standin(&["--poll-interval-ms", "2000"]).await;
    let (token, _) = s.start_ok("alice@example.com").await;
    assert_eq!(s.poll(&token).await.status(), 403);
    // The server recorded the first poll no later than this.
    let first = Instant::now();
    let response = s.poll(&token).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().get("retry-after").is_none());
    assert_eq!(crate::common::json_body(response).await["status"], 429);
    // The refused poll did not reset the clock: 1 s on it is still refused, and 2 s
    // after the first poll it is allowed, although under 2 s after the refused ones.
    sleep_until(first + Duration::from_millis(1000)).await;
    assert_eq!(s.poll(&token).await.status(), 429);
    sleep_until(first + Duration::from_millis(2100)).await;
    assert_eq!(s.poll(&token).await.status(), 403);
    // The limit is per token: another token polls at once.
    let (other, _) = s.start_ok("alice@example.com").await;
    assert_eq!(s.poll(&other).await.status(), 403);
}

async fn sleep_until(deadline: Instant) {
    tokio::time::sleep(deadline.saturating_duration_since(Instant::now())).await;
}

#[tokio::test]
async fn with_retry_after_a_poll_429_says_when_to_come_back() {
    let s = standin(&["--poll-interval-ms", "5000", "--retry-after"]).await;
    let (token, _) = s.start_ok("alice@example.com").await;
    assert_eq!(s.poll(&token).await.status(), 403);
    let response = s.poll(&token).await;
    assert_eq!(response.status(), 429);
    // Under 5 s left, rounded up to whole seconds (the second poll came well within 1 s).
    assert_eq!(response.headers()["retry-after"], "5");
    assert_eq!(
        response.headers()["access-control-expose-headers"],
        "retry-after"
    );
}

#[tokio::test]
async fn more_starts_than_the_limit_per_address_per_minute_are_429() {
    let s = standin(&["--start-limit-per-minute", "3"]).await;
    for _ in 0..3 {
        assert_eq!(
            s.start("alice@example.com", Some(false)).await.status(),
            200
        );
    }
    let response = s.start("alice@example.com", Some(false)).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().get("retry-after").is_none());
    // Per address (case-insensitively), and unknown addresses count too.
    assert_eq!(s.start("ALICE@example.com", None).await.status(), 429);
    assert_eq!(s.start("bob@example.com", Some(false)).await.status(), 200);
    for _ in 0..3 {
        assert_eq!(s.start("nobody@example.com", None).await.status(), 404);
    }
    assert_eq!(s.start("nobody@example.com", None).await.status(), 429);
}

#[tokio::test]
async fn the_default_start_limit_is_5_and_retry_after_counts_down_the_minute() {
    let s = standin(&["--retry-after"]).await;
    for _ in 0..5 {
        assert_eq!(s.start("bob@example.com", Some(false)).await.status(), 200);
    }
    let response = s.start("bob@example.com", Some(false)).await;
    assert_eq!(response.status(), 429);
    let seconds: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("whole seconds");
    assert!((55..=60).contains(&seconds), "{seconds}");
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn made_up_addresses_cost_bounded_memory_and_known_ones_stay_limited() {
    let s = standin(&["--start-limit-per-minute", "3"]).await;
    // A keep-alive client: this test is about the server's memory, not connections.
    let http = reqwest::Client::new();
    let url = format!("{}/auth/start", s.api);
    let padding = "x".repeat(60_000);
    let before = s.rss_kib();
    // 1500 distinct 60 KB addresses: 90 MB that a limiter keeping addresses whole
    // would hold on to for at least a minute.
    for i in 0..1500 {
        let body = format!("{{\"email\":\"{padding}{i}@example.com\"}}");
        let response = http
            .post(&url)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .expect("start");
        assert_eq!(response.status(), 404, "{i}");
    }
    let grown_kib = s.rss_kib().saturating_sub(before);
    assert!(grown_kib < 30_000, "memory grew by {grown_kib} KiB");
    // The limit still counts each address, and known ones are unaffected.
    for _ in 0..2 {
        assert_eq!(
            s.start(&format!("{padding}0@example.com"), None)
                .await
                .status(),
            404
        );
    }
    assert_eq!(
        s.start(&format!("{padding}0@EXAMPLE.COM"), None)
            .await
            .status(),
        429
    );
    for _ in 0..3 {
        assert_eq!(
            s.start("alice@example.com", Some(false)).await.status(),
            200
        );
    }
    assert_eq!(
        s.start("Alice@example.com", Some(false)).await.status(),
        429
    );
}
