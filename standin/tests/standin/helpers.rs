//! The `/_standin/` test helpers: off without `--test-helpers`; with it, answering
//! loopback pages (CORS with their own origin, never `*`) and plain clients only, with
//! a cap on armed faults.

use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};

use crate::common::{json_body, Standin};

/// One request to every helper, as (method, path, body).
fn every_helper(token: &str) -> Vec<(Method, String, Option<Value>)> {
    let fault = json!({"endpoint": "poll", "kind": "status", "status": 500});
    vec![
        (Method::GET, "/_standin/outbox".into(), None),
        (Method::GET, "/_standin/handed-out".into(), None),
        (Method::POST, format!("/_standin/decide/{token}"), None),
        (Method::POST, "/_standin/faults".into(), Some(fault)),
        (Method::DELETE, "/_standin/faults".into(), None),
        (Method::GET, "/_standin/fault-kinds".into(), None),
        (Method::GET, "/_standin/redirect-hits".into(), None),
    ]
}

fn request(s: &Standin, method: &Method, path: &str, body: Option<&Value>) -> RequestBuilder {
    let request = s
        .http
        .request(method.clone(), format!("{}{path}", s.origin));
    match (body, path.contains("/decide/")) {
        (Some(body), _) => request.json(body),
        (None, true) => request
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("decision=confirm"),
        (None, false) => request,
    }
}

#[tokio::test]
async fn without_the_flag_every_helper_is_404_and_does_nothing() {
    let s = Standin::spawn_exact(&[
        "--api-addr",
        "127.0.0.1:0",
        "--demo-addr",
        "127.0.0.1:0",
        "--poll-interval-ms",
        "0",
    ])
    .await;
    let (token, _) = s.start_ok("bob@example.com").await;
    for (method, path, body) in every_helper(&token) {
        let response = request(&s, &method, &path, body.as_ref())
            .send()
            .await
            .expect("helper");
        assert_eq!(response.status(), 404, "{method} {path}");
    }
    let response = request(&s, &Method::GET, "/_standin/redirect-target", None)
        .send()
        .await
        .expect("target");
    assert_eq!(response.status(), 404);
    // Nothing was armed and nothing decided.
    assert_eq!(s.poll(&token).await.status(), 403);
    assert_eq!(s.poll(&token).await.status(), 403);
}

#[tokio::test]
async fn a_page_of_another_site_can_neither_decide_nor_read_nor_arm() {
    let s = Standin::spawn(&[]).await;
    // The attack: start(bob), decide from the page, poll for bob's key.
    let (token, _) = s.start_ok("bob@example.com").await;
    let other_sites: [&[(&str, &str)]; 5] = [
        &[("Sec-Fetch-Site", "cross-site")],
        &[
            ("Sec-Fetch-Site", "cross-site"),
            ("Origin", "https://evil.example"),
        ],
        &[("Origin", "https://evil.example")],
        &[("Origin", "null")],
        // DNS rebinding: same-origin with itself, but its domain in Host.
        &[
            ("Sec-Fetch-Site", "same-origin"),
            ("Host", "rebound.example"),
        ],
    ];
    for headers in other_sites {
        for (method, path, body) in every_helper(&token) {
            let mut builder = request(&s, &method, &path, body.as_ref());
            for (name, value) in headers {
                builder = builder.header(*name, *value);
            }
            let response = builder.send().await.expect("helper");
            assert_eq!(response.status(), 403, "{method} {path} {headers:?}");
            assert!(
                response
                    .headers()
                    .get("access-control-allow-origin")
                    .is_none(),
                "{method} {path} {headers:?}"
            );
            let body = json_body(response).await;
            assert_eq!(body["status"], 403);
            assert_eq!(body["name"], "Forbidden");
        }
    }
    // Nothing decided and nothing armed: bob's request is still pending, and no key
    // went out.
    assert_eq!(s.poll(&token).await.status(), 403);
    assert_eq!(
        json_body(s.get("/_standin/handed-out").await).await,
        json!([])
    );
}

#[tokio::test]
async fn loopback_pages_get_cors_with_their_own_origin_and_never_a_star() {
    let s = Standin::spawn(&[]).await;
    let (token, _) = s.start_ok("alice@example.com").await;
    for page in [
        "http://127.0.0.1:9",
        "http://localhost:4000",
        "http://[::1]:8000",
    ] {
        for (method, path, body) in every_helper(&token) {
            let response = request(&s, &method, &path, body.as_ref())
                .header("Origin", page)
                .header("Sec-Fetch-Site", "same-site")
                .send()
                .await
                .expect("helper");
            // The decision happens once; later ones are 409, still answered.
            assert!(
                response.status().is_success() || response.status() == 409,
                "{method} {path} {page}: {}",
                response.status()
            );
            assert_eq!(
                response.headers()["access-control-allow-origin"],
                page,
                "{method} {path}"
            );
            let vary = response.headers()["vary"].to_str().expect("ascii");
            assert!(vary.to_ascii_lowercase().contains("origin"), "{vary}");
        }
        let preflight = s
            .http
            .request(Method::OPTIONS, format!("{}/_standin/faults", s.origin))
            .header("Origin", page)
            .header("Access-Control-Request-Method", "DELETE")
            .header("Access-Control-Request-Headers", "content-type")
            .send()
            .await
            .expect("preflight");
        assert_eq!(preflight.headers()["access-control-allow-origin"], page);
    }
    // Plain clients (no Origin) get their answer without any CORS header.
    let response = s.get("/_standin/outbox").await;
    assert_eq!(response.status(), 200);
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    // Another site's preflight gets no permission.
    let preflight = s
        .http
        .request(Method::OPTIONS, format!("{}/_standin/faults", s.origin))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .expect("preflight");
    assert!(preflight
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    // An unknown helper path is a plain 404, without `*`.
    let response = s.get("/_standin/nothing-here").await;
    assert_eq!(response.status(), 404);
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}

/// Arms `fault` (a JSON object) and returns the status.
async fn try_arm(s: &Standin, fault: &Value) -> reqwest::Response {
    s.http
        .post(format!("{}/_standin/faults", s.origin))
        .json(fault)
        .send()
        .await
        .expect("arm")
}

#[tokio::test]
async fn armed_faults_are_capped_by_count_and_by_kept_text() {
    let s = Standin::spawn(&[]).await;
    let drop = json!({"endpoint": "start", "kind": "drop"});
    for n in 0..1000 {
        assert_eq!(try_arm(&s, &drop).await.status(), 204, "arm {n}");
    }
    let refused = try_arm(&s, &drop).await;
    assert_eq!(refused.status(), 409);
    let body = json_body(refused).await;
    assert_eq!(body["name"], "Conflict");
    assert_eq!(body["status"], 409);
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("DELETE /_standin/faults"),
        "{body}"
    );
    // Using one up makes room for one.
    assert!(s
        .http
        .post(format!("{}/auth/start", s.api))
        .json(&json!({"email": "alice@example.com"}))
        .send()
        .await
        .is_err());
    assert_eq!(try_arm(&s, &drop).await.status(), 204);
    assert_eq!(try_arm(&s, &drop).await.status(), 409);

    // 4 MiB of kept text: 69 bodies of 60 000 bytes fit, the 70th does not.
    let clear = s.http.delete(format!("{}/_standin/faults", s.origin));
    assert_eq!(clear.send().await.expect("clear").status(), 204);
    let big = json!({"endpoint": "poll", "kind": "body", "body": "x".repeat(60_000)});
    let mut armed = 0;
    while try_arm(&s, &big).await.status() == 204 {
        armed += 1;
        assert!(armed <= 1000, "no byte cap");
    }
    assert_eq!(armed, 4 * 1024 * 1024 / 60_000);
}

#[tokio::test]
async fn arming_in_a_loop_does_not_grow_memory() {
    let s = Standin::spawn(&[]).await;
    let before = s.rss_kib();
    // 2 000 arms of 60 KB, 16 at a time: 120 MB kept without a cap.
    let big = json!({"endpoint": "poll", "kind": "body", "body": "x".repeat(60_000)});
    let url = format!("{}/_standin/faults", s.origin);
    let mut statuses = Vec::new();
    for _ in 0..125 {
        let mut batch = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let request = s.http.post(&url).json(&big);
            batch.spawn(async move { request.send().await.expect("arm").status().as_u16() });
        }
        statuses.extend(batch.join_all().await);
    }
    let grown_mib = s.rss_kib().saturating_sub(before) / 1024;
    assert!(
        statuses.iter().all(|&st| st == 204 || st == 409),
        "{statuses:?}"
    );
    let refused = statuses.iter().filter(|&&st| st == 409).count();
    assert_eq!(refused, 2000 - 4 * 1024 * 1024 / 60_000);
    assert!(grown_mib < 48, "RSS grew {grown_mib} MiB");
}
