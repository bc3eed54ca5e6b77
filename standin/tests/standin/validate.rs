//! GET /v1/auth/validate: strict Basic parsing; every malformed header is a 401.

use crate::common::{basic, json_body, Standin};

#[tokio::test]
async fn valid_credentials_answer_200_with_premium_and_everything_else_401() {
    let s = Standin::spawn(&[]).await;
    let (_, key, _) = s.pair("alice@example.com").await;
    let response = s.validate(Some(&basic("alice", &key))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        json_body(response).await,
        serde_json::json!({ "premium": 2 })
    );
    // The scheme is case-insensitive.
    let lower = basic("alice", &key).replacen("Basic", "basic", 1);
    assert_eq!(s.validate(Some(&lower)).await.status(), 200);

    // The last character changed (keys are random, so "x" is sometimes already there).
    let last = if key.ends_with('x') { 'y' } else { 'x' };
    let wrong_key = format!("{}{last}", &key[..key.len() - 1]);
    for header in [
        None,
        Some(basic("alice", &wrong_key)),
        Some(basic("alice", "")),
        Some(basic("bob", &key)),
        Some(basic("nobody", &key)),
        Some(basic("Alice", &key)),
    ] {
        let response = s.validate(header.as_deref()).await;
        assert_eq!(response.status(), 401, "{header:?}");
        assert_eq!(json_body(response).await["status"], 401);
    }
}

#[tokio::test]
async fn malformed_basic_headers_are_401_not_500() {
    let s = Standin::spawn(&[]).await;
    let (_, key, _) = s.pair("alice@example.com").await;
    let good = basic("alice", &key);
    let encoded = good.trim_start_matches("Basic ").to_owned();
    for header in [
        String::new(),
        "Basic".to_owned(),
        "Basic ".to_owned(),
        format!("Basic  {encoded}"),
        format!("Bearer {encoded}"),
        format!("Basic {encoded} extra"),
        format!("Basic {}", encoded.trim_end_matches('=')),
        format!("Basic{encoded}"),
        "Basic !!!!".to_owned(),
        "Basic YWxpY2U=".to_owned(), // "alice": no colon
        "Basic /w==".to_owned(),     // not UTF-8
        format!("Basic {}", &encoded[1..]),
    ] {
        let response = s.validate(Some(&header)).await;
        assert_eq!(response.status(), 401, "{header:?}");
    }
    // Two Authorization headers, even if one is right, are refused.
    let response = s
        .http
        .get(format!("{}/auth/validate", s.api))
        .header("Authorization", &good)
        .header("Authorization", "Basic eDp5")
        .send()
        .await
        .expect("validate");
    assert_eq!(response.status(), 401);
    // Non-UTF-8 header bytes.
    let response = s
        .http
        .get(format!("{}/auth/validate", s.api))
        .header(
            "Authorization",
            reqwest::header::HeaderValue::from_bytes(b"Basic \xff\xfe").expect("header"),
        )
        .send()
        .await
        .expect("validate");
    assert_eq!(response.status(), 401);
}
