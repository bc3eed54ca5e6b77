//! start -> confirm page -> poll, per the spec: every status of start and poll.

use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

use crate::common::{basic, json_body, Standin};

#[tokio::test]
async fn start_answers_200_with_a_random_url_safe_token_and_a_confirm_url() {
    let s = Standin::spawn(&[]).await;
    let (token, confirm_url) = s.start_ok("alice@example.com").await;
    assert_eq!(confirm_url, format!("{}/confirm/{token}", s.origin));
    // At least 128 random bits, URL-safe: base64url of 24 bytes.
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&token)
        .expect("base64url token");
    assert!(bytes.len() * 8 >= 128, "{} bits", bytes.len() * 8);
    let (other, _) = s.start_ok("alice@example.com").await;
    assert_ne!(token, other);
}

#[tokio::test]
async fn start_answers_401_for_an_unconfirmed_address_and_404_for_an_unknown_one() {
    let s = Standin::spawn(&[]).await;
    let response = s.start("carol@example.com", None).await;
    assert_eq!(response.status(), 401);
    assert_eq!(json_body(response).await["status"], 401);
    let response = s.start("nobody@example.com", Some(false)).await;
    assert_eq!(response.status(), 404);
    assert_eq!(json_body(response).await["name"], "Not Found");
}

#[tokio::test]
async fn poll_answers_403_then_one_200_then_404() {
    let s = Standin::spawn(&[]).await;
    let (token, confirm_url) = s.start_ok("alice@example.com").await;
    assert_eq!(s.poll(&token).await.status(), 403);
    assert_eq!(s.poll(&token).await.status(), 403);
    assert_eq!(s.decide(&confirm_url, "confirm").await.status(), 200);
    let response = s.poll(&token).await;
    assert_eq!(response.status(), 200);
    let body = json_body(response).await;
    assert_eq!(body["username"], "alice");
    let key = body["apikey"].as_str().expect("apikey");
    assert!(key.len() >= 22);
    assert_eq!(s.poll(&token).await.status(), 404);
    assert_eq!(s.poll(&token).await.status(), 404);
    // The key is the real one.
    let response = s.validate(Some(&basic("alice", key))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        json_body(response).await,
        serde_json::json!({ "premium": 2 })
    );
}

#[tokio::test]
async fn bob_pairs_with_premium_0_and_keys_differ_per_user() {
    let s = Standin::spawn(&[]).await;
    let (_, alice_key, _) = s.pair("alice@example.com").await;
    let (_, bob_key, username) = s.pair("BOB@example.com").await;
    assert_eq!(username, "bob");
    assert_ne!(alice_key, bob_key);
    let response = s.validate(Some(&basic("bob", &bob_key))).await;
    assert_eq!(json_body(response).await["premium"], 0);
    // Another run makes up other keys: they are random, not derived.
    let t = Standin::spawn(&[]).await;
    let (_, other_run_key, _) = t.pair("alice@example.com").await;
    assert_ne!(alice_key, other_run_key);
}

#[tokio::test]
async fn deny_makes_poll_answer_404() {
    let s = Standin::spawn(&[]).await;
    let (token, confirm_url) = s.start_ok("alice@example.com").await;
    assert_eq!(s.decide(&confirm_url, "deny").await.status(), 200);
    assert_eq!(s.poll(&token).await.status(), 404);
    assert_eq!(
        s.get("/_standin/handed-out")
            .await
            .json::<Value>()
            .await
            .ok(),
        Some(serde_json::json!([]))
    );
}

#[tokio::test]
async fn tokens_expire_after_the_ttl() {
    let s = Standin::spawn(&["--token-ttl-s", "1"]).await;
    let (pending, _) = s.start_ok("alice@example.com").await;
    let (confirmed, confirm_url) = s.start_ok("alice@example.com").await;
    assert_eq!(s.decide(&confirm_url, "confirm").await.status(), 200);
    assert_eq!(s.poll(&pending).await.status(), 403);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(s.poll(&pending).await.status(), 404);
    // A confirmed key not collected in time is gone too.
    assert_eq!(s.poll(&confirmed).await.status(), 404);
    assert_eq!(
        s.get(&confirm_url.replace(&s.origin, "")).await.status(),
        404
    );
}

#[tokio::test]
async fn poll_of_an_unknown_token_is_404() {
    let s = Standin::spawn(&[]).await;
    assert_eq!(s.poll("no-such-token").await.status(), 404);
    assert_eq!(s.poll("").await.status(), 404);
}

#[tokio::test]
async fn outbox_records_emails_only_with_email_confirmation() {
    let s = Standin::spawn(&[]).await;
    let response = s.start("alice@example.com", None).await;
    let started = json_body(response).await;
    s.start_ok("bob@example.com").await; // email_confirmation false: no email
    let response = s.start("alice@example.com", Some(true)).await;
    assert_eq!(response.status(), 200);
    let outbox = json_body(s.get("/_standin/outbox").await).await;
    let entries = outbox.as_array().expect("array");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["to"], "alice@example.com");
    assert_eq!(entries[0]["confirm_url"], started["confirm_url"]);
    let sent_at = entries[0]["sent_at"].as_str().expect("sent_at");
    assert!(sent_at.len() == 20 && sent_at.ends_with('Z') && sent_at.as_bytes()[10] == b'T');
    // The email's link works like confirm_url.
    let link = entries[0]["confirm_url"].as_str().expect("link");
    assert_eq!(s.decide(link, "confirm").await.status(), 200);
    assert!(s.log().contains("outbox"));
}

#[tokio::test]
async fn handed_out_lists_each_token_whose_key_was_handed_out() {
    let s = Standin::spawn(&[]).await;
    let handed = json_body(s.get("/_standin/handed-out").await).await;
    assert_eq!(handed, serde_json::json!([]));
    let (first, _, _) = s.pair("alice@example.com").await;
    let (pending, _) = s.start_ok("alice@example.com").await;
    let (second, _, _) = s.pair("bob@example.com").await;
    let handed = json_body(s.get("/_standin/handed-out").await).await;
    assert_eq!(handed, serde_json::json!([first, second]));
    assert!(!handed.to_string().contains(&pending));
}
