//! Fault injection: every kind, on every endpoint, for exactly N answers.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{basic, json_body, Standin};

#[tokio::test]
async fn status_faults_answer_that_status_n_times_then_normally() {
    let s = Standin::spawn(&[]).await;
    s.arm(json!({"endpoint": "start", "times": 2, "kind": "status", "status": 503}))
        .await;
    for _ in 0..2 {
        let response = s.start("alice@example.com", Some(false)).await;
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        assert_eq!(json_body(response).await["status"], 503);
    }
    assert_eq!(
        s.start("alice@example.com", Some(false)).await.status(),
        200
    );

    s.arm(json!({"endpoint": "poll", "kind": "status", "status": 429, "retry_after": 7}))
        .await;
    let response = s.poll("x").await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "7");
    assert_eq!(s.poll("x").await.status(), 404);

    s.arm(json!({"endpoint": "validate", "kind": "status", "status": 500}))
        .await;
    assert_eq!(s.validate(None).await.status(), 500);
    assert_eq!(s.validate(None).await.status(), 401);
}

#[tokio::test]
async fn a_faulted_poll_does_not_consume_the_key() {
    let s = Standin::spawn(&[]).await;
    let (token, confirm_url) = s.start_ok("alice@example.com").await;
    s.decide(&confirm_url, "confirm").await;
    s.arm(json!({"endpoint": "poll", "kind": "status", "status": 502}))
        .await;
    assert_eq!(s.poll(&token).await.status(), 502);
    assert_eq!(s.poll(&token).await.status(), 200);
}

#[tokio::test]
async fn delay_faults_wait_then_answer_normally() {
    let s = Standin::spawn(&[]).await;
    for (endpoint, expected) in [("start", 404), ("poll", 404), ("validate", 401)] {
        s.arm(json!({"endpoint": endpoint, "kind": "delay", "delay_ms": 700}))
            .await;
        let started = Instant::now();
        let response = match endpoint {
            "start" => s.start("nobody@example.com", None).await,
            "poll" => s.poll("x").await,
            _ => s.validate(None).await,
        };
        assert_eq!(response.status(), expected);
        assert!(
            started.elapsed() >= Duration::from_millis(700),
            "{endpoint}"
        );
        let started = Instant::now();
        let _ = s.poll("x").await;
        assert!(started.elapsed() < Duration::from_millis(700));
    }
}

/// Starts alice's pairing and confirms it: the next poll hands her key out.
async fn confirmed_token(s: &Standin) -> String {
    let (token, confirm_url) = s.start_ok("alice@example.com").await;
    assert_eq!(s.decide(&confirm_url, "confirm").await.status(), 200);
    token
}

/// The tokens whose key the stand-in has handed out so far.
async fn handed_out(s: &Standin) -> Vec<String> {
    serde_json::from_value(json_body(s.get("/_standin/handed-out").await).await)
        .expect("a list of tokens")
}

#[tokio::test]
async fn late_answer_spends_the_key_on_arrival_and_answers_later() {
    let s = Standin::spawn(&[]).await;
    let token = confirmed_token(&s).await;
    s.arm(json!({"endpoint": "poll", "kind": "late_answer", "delay_ms": 1500}))
        .await;
    let sent = Instant::now();
    let first = tokio::spawn({
        let (http, url, token) = (
            s.http.clone(),
            format!("{}/auth/poll", s.api),
            token.clone(),
        );
        async move {
            let response = http
                .post(url)
                .json(&json!({ "token": token }))
                .send()
                .await
                .expect("first poll");
            (sent.elapsed(), response.status(), response.text().await)
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The first answer is still on its way, yet the key is already spent.
    assert_eq!(s.poll(&token).await.status(), 404);
    assert_eq!(handed_out(&s).await, std::slice::from_ref(&token));
    assert!(!first.is_finished(), "the late answer came early");
    let (elapsed, status, body) = first.await.expect("first poll task");
    assert_eq!(status, 200);
    assert!(elapsed >= Duration::from_millis(1500), "{elapsed:?}");
    let body: Value = serde_json::from_str(&body.expect("body")).expect("json");
    let key = body["apikey"].as_str().expect("apikey");
    assert_eq!(
        s.validate(Some(&basic("alice", key))).await.status(),
        200,
        "the late key is the real one"
    );
}

#[tokio::test]
async fn slow_body_spends_the_key_on_arrival_and_trickles_the_answer() {
    let s = Standin::spawn(&[]).await;
    let token = confirmed_token(&s).await;
    s.arm(json!({"endpoint": "poll", "kind": "slow_body", "byte_interval_ms": 40}))
        .await;
    let sent = Instant::now();
    let response = s.poll(&token).await;
    let headers_after = sent.elapsed();
    assert_eq!(response.status(), 200);
    assert!(
        headers_after < Duration::from_millis(1000),
        "{headers_after:?}"
    );
    let length: usize = response.headers()["content-length"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("a number");
    let reading = tokio::spawn(async move { response.bytes().await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s.poll(&token).await.status(), 404);
    assert_eq!(handed_out(&s).await, std::slice::from_ref(&token));
    assert!(!reading.is_finished(), "the body came at once");
    let body = reading.await.expect("task").expect("body");
    let elapsed = sent.elapsed();
    assert_eq!(body.len(), length);
    // One byte every 40 ms: the whole body takes about length × 40 ms.
    let least = Duration::from_millis(40 * (length as u64 - 1));
    assert!(elapsed >= least, "{elapsed:?} for {length} bytes");
    let body: Value = serde_json::from_slice(&body).expect("json");
    let key = body["apikey"].as_str().expect("apikey");
    assert_eq!(s.validate(Some(&basic("alice", key))).await.status(), 200);

    // Any endpoint's real answer, e.g. validate's 401, arrives the same way.
    s.arm(json!({"endpoint": "validate", "kind": "slow_body", "byte_interval_ms": 1}))
        .await;
    let response = s.validate(None).await;
    assert_eq!(response.status(), 401);
    assert_eq!(json_body(response).await["status"], 401);
}

#[tokio::test]
async fn drop_faults_close_the_connection_without_an_answer() {
    let s = Standin::spawn(&[]).await;
    s.arm(json!({"endpoint": "start", "kind": "drop"})).await;
    s.arm(json!({"endpoint": "poll", "times": 2, "kind": "drop"}))
        .await;
    s.arm(json!({"endpoint": "validate", "kind": "drop"})).await;
    let start = s
        .http
        .post(format!("{}/auth/start", s.api))
        .json(&json!({"email": "alice@example.com"}))
        .send()
        .await;
    assert!(start.is_err(), "{start:?}");
    for _ in 0..2 {
        let poll = s
            .http
            .post(format!("{}/auth/poll", s.api))
            .json(&json!({"token": "x"}))
            .send()
            .await;
        assert!(poll.is_err(), "{poll:?}");
    }
    let validate = s.http.get(format!("{}/auth/validate", s.api)).send().await;
    assert!(validate.is_err(), "{validate:?}");
    // The server is fine afterwards.
    assert_eq!(s.poll("x").await.status(), 404);
    assert!(s.log().contains("dropped (injected fault)"));
}

#[tokio::test]
async fn body_faults_answer_200_with_a_bad_body() {
    let s = Standin::spawn(&[]).await;
    for endpoint in ["start", "poll", "validate"] {
        s.arm(json!({"endpoint": endpoint, "kind": "not_json"}))
            .await;
        s.arm(json!({"endpoint": endpoint, "kind": "wrong_shape"}))
            .await;
        s.arm(json!({"endpoint": endpoint, "kind": "empty"})).await;
        s.arm(json!({"endpoint": endpoint, "kind": "oversized", "bytes": 5_000_000}))
            .await;
        let mut answers = Vec::new();
        for _ in 0..4 {
            let response = match endpoint {
                "start" => s.start("alice@example.com", Some(false)).await,
                "poll" => s.poll("x").await,
                _ => s.validate(None).await,
            };
            assert_eq!(response.status(), 200, "{endpoint}");
            assert_eq!(response.headers()["content-type"], "application/json");
            answers.push(response.bytes().await.expect("body"));
        }
        // not_json
        assert!(serde_json::from_slice::<Value>(&answers[0]).is_err());
        // wrong_shape: JSON, but none of the spec's required fields with the right type
        let shape: Value = serde_json::from_slice(&answers[1]).expect("json");
        assert!(!shape["token"].is_string() && !shape["confirm_url"].is_string());
        assert!(!shape["apikey"].is_string() && !shape["username"].is_string());
        assert!(!shape["premium"].is_u64());
        // empty
        assert!(answers[2].is_empty());
        // oversized: exactly the bytes asked for
        assert_eq!(answers[3].len(), 5_000_000);
    }
    // All used up: normal answers again.
    assert_eq!(s.poll("x").await.status(), 404);
    assert_eq!(s.validate(Some(&basic("alice", "k"))).await.status(), 401);
}

#[tokio::test]
async fn delete_clears_every_fault_and_bad_faults_are_400() {
    let s = Standin::spawn(&[]).await;
    s.arm(json!({"endpoint": "poll", "times": 5, "kind": "empty"}))
        .await;
    s.arm(json!({"endpoint": "validate", "kind": "drop"})).await;
    let response = s
        .http
        .delete(format!("{}/_standin/faults", s.origin))
        .send()
        .await
        .expect("delete");
    assert_eq!(response.status(), 204);
    assert_eq!(s.poll("x").await.status(), 404);
    assert_eq!(s.validate(None).await.status(), 401);

    for bad in [
        json!({}),
        json!({"endpoint": "nope", "kind": "drop"}),
        json!({"endpoint": "poll", "kind": "nope"}),
        json!({"endpoint": "poll", "kind": "status"}),
        json!({"endpoint": "poll", "kind": "status", "status": 99}),
        json!({"endpoint": "poll", "kind": "status", "status": 600}),
        json!({"endpoint": "poll", "kind": "drop", "times": 0}),
        json!({"endpoint": "poll", "kind": "delay", "delay_ms": -1}),
        json!({"endpoint": "poll", "kind": "delay", "delay_ms": 600_001}),
        json!({"endpoint": "poll", "kind": "late_answer", "delay_ms": 600_001}),
        json!({"endpoint": "poll", "kind": "late_answer"}),
        json!({"endpoint": "poll", "kind": "slow_body", "byte_interval_ms": 600_001}),
        json!({"endpoint": "poll", "kind": "oversized", "bytes": 1_000_000_000}),
    ] {
        let response = s
            .http
            .post(format!("{}/_standin/faults", s.origin))
            .json(&bad)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 400, "{bad}");
    }
    let response = s
        .http
        .post(format!("{}/_standin/faults", s.origin))
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 400);
    assert_eq!(s.poll("x").await.status(), 404);
}

#[tokio::test]
async fn fault_kinds_lists_every_kind_the_readme_documents() {
    let s = Standin::spawn(&[]).await;
    let response = s.get("/_standin/fault-kinds").await;
    assert_eq!(response.status(), 200);
    let served: Vec<String> = serde_json::from_value(json_body(response).await).expect("names");
    // The README's fault table: rows like "  | `kind` | extra fields | answer |".
    let readme = include_str!("../../README.md");
    let documented: Vec<&str> = readme
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("| `"))
        .filter_map(|rest| rest.split_once("` |").map(|(kind, _)| kind))
        .filter(|kind| kind.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    assert_eq!(served, documented, "README's fault table vs the stand-in");
    for kind in &served {
        // Every name is one the arm endpoint knows (a 400 here would say "unknown variant").
        let response = s
            .http
            .post(format!("{}/_standin/faults", s.origin))
            .json(&json!({"endpoint": "poll", "kind": kind}))
            .send()
            .await
            .expect("post");
        let text = response.text().await.expect("body");
        assert!(!text.contains("unknown variant"), "{kind}: {text}");
    }
}
