//! The user API's slice (followed shows) behind HTTP Basic, the key-reset helper that
//! makes the next request a 401, and the poll log.

use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::common::{basic, json_body, Standin};

async fn user(s: &Standin, method: Method, path: &str, auth: Option<&str>) -> Response {
    let mut request = s.http.request(method, format!("{}/user{path}", s.api));
    if let Some(value) = auth {
        request = request.header("Authorization", value);
    }
    request.send().await.expect("user api")
}

#[tokio::test]
async fn followed_shows_are_listed_followed_and_unfollowed() {
    let s = Standin::spawn(&[]).await;
    let (_, key, username) = s.pair("alice@example.com").await;
    let auth = basic(&username, &key);
    let auth = Some(auth.as_str());

    let empty = user(&s, Method::GET, "/follows/shows", auth).await;
    assert_eq!(empty.status(), 200);
    assert_eq!(json_body(empty).await, json!([]));

    let put = user(&s, Method::PUT, "/follows/shows/82", auth).await;
    assert_eq!(put.status(), 200);
    assert_eq!(json_body(put).await, json!({ "show_id": 82 }));
    // Following twice is still one follow.
    assert_eq!(
        user(&s, Method::PUT, "/follows/shows/82", auth)
            .await
            .status(),
        200
    );
    assert_eq!(
        user(&s, Method::PUT, "/follows/shows/1", auth)
            .await
            .status(),
        200
    );

    let list = user(&s, Method::GET, "/follows/shows", auth).await;
    assert_eq!(
        json_body(list).await,
        json!([{ "show_id": 1 }, { "show_id": 82 }])
    );
    let embedded = json_body(user(&s, Method::GET, "/follows/shows?embed=show", auth).await).await;
    assert_eq!(embedded[1]["_embedded"]["show"]["name"], "Game of Thrones");
    let one = user(&s, Method::GET, "/follows/shows/82", auth).await;
    assert_eq!(json_body(one).await, json!({ "show_id": 82 }));

    let deleted = user(&s, Method::DELETE, "/follows/shows/82", auth).await;
    assert_eq!(deleted.status(), 200);
    assert_eq!(
        deleted.bytes().await.expect("body").len(),
        0,
        "no body after a DELETE"
    );
    for (method, path) in [
        (Method::DELETE, "/follows/shows/82"), // was not followed any more
        (Method::GET, "/follows/shows/82"),
        (Method::PUT, "/follows/shows/999999"), // no such show
        (Method::GET, "/follows/shows/abc"),
    ] {
        let response = user(&s, method.clone(), path, auth).await;
        assert_eq!(response.status(), 404, "{method} {path}");
        assert_eq!(json_body(response).await["status"], 404);
    }
}

#[tokio::test]
async fn a_bad_or_missing_key_is_401_and_a_free_account_403() {
    let s = Standin::spawn(&[]).await;
    let (_, key, _) = s.pair("alice@example.com").await;
    for auth in [
        None,
        Some(basic("alice", "wrong")),
        Some(basic("nobody", &key)),
    ] {
        let response = user(&s, Method::GET, "/follows/shows", auth.as_deref()).await;
        assert_eq!(response.status(), 401, "{auth:?}");
        assert_eq!(json_body(response).await["status"], 401);
    }
    let (_, bob_key, _) = s.pair("bob@example.com").await;
    let free = user(
        &s,
        Method::PUT,
        "/follows/shows/1",
        Some(&basic("bob", &bob_key)),
    )
    .await;
    assert_eq!(free.status(), 403);
}

#[tokio::test]
async fn after_a_key_reset_the_old_key_is_refused_everywhere() {
    let s = Standin::spawn(&[]).await;
    let (_, key, _) = s.pair("alice@example.com").await;
    let auth = basic("alice", &key);
    assert_eq!(
        user(&s, Method::GET, "/follows/shows", Some(&auth))
            .await
            .status(),
        200
    );

    let reset = s
        .http
        .post(format!("{}/_standin/reset-key/alice", s.origin))
        .send()
        .await
        .expect("reset");
    assert_eq!(reset.status(), 204);
    assert_eq!(
        user(&s, Method::GET, "/follows/shows", Some(&auth))
            .await
            .status(),
        401
    );
    assert_eq!(s.validate(Some(&auth)).await.status(), 401);

    let unknown = s
        .http
        .post(format!("{}/_standin/reset-key/nobody", s.origin))
        .send()
        .await
        .expect("reset");
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn the_poll_log_has_every_poll_of_every_token_with_its_status() {
    let s = Standin::spawn_exact(&[
        "--api-addr",
        "127.0.0.1:0",
        "--demo-addr",
        "127.0.0.1:0",
        "--poll-interval-ms",
        "60000",
        "--test-helpers",
    ])
    .await;
    let (token, confirm_url) = s.start_ok("alice@example.com").await;
    assert_eq!(s.poll(&token).await.status(), 403);
    assert_eq!(s.poll(&token).await.status(), 429);
    assert_eq!(s.poll("unknown").await.status(), 404);
    assert_eq!(s.decide(&confirm_url, "confirm").await.status(), 200);
    let log: Value = json_body(s.get("/_standin/polls").await).await;
    let seen: Vec<(String, u64)> = log
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            (
                p["token"].as_str().unwrap_or_default().to_owned(),
                p["status"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (token.clone(), 403),
            (token, 429),
            ("unknown".to_owned(), 404)
        ]
    );
    assert_eq!(log[0]["ms"], 0);
}

#[tokio::test]
async fn browsers_may_send_signed_puts_and_deletes_from_any_origin() {
    let s = Standin::spawn(&[]).await;
    for method in ["PUT", "DELETE"] {
        let response = s
            .http
            .request(
                Method::OPTIONS,
                format!("{}/v1/user/follows/shows/1", s.origin),
            )
            .header("Origin", "http://app.example")
            .header("Access-Control-Request-Method", method)
            .header("Access-Control-Request-Headers", "authorization")
            .send()
            .await
            .expect("preflight");
        assert!(response.status().is_success(), "{method}");
        let allowed = response.headers()["access-control-allow-methods"]
            .to_str()
            .unwrap_or_default()
            .to_owned();
        assert!(allowed.contains(method), "{method}: {allowed}");
    }
}
