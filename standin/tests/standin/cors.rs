//! CORS like a public API: any origin, preflights for the client's two requests, and
//! `--no-cors` leaving every CORS header out.

use reqwest::Method;

use crate::common::Standin;

async fn preflight(s: &Standin, path: &str, method: &str, headers: &str) -> reqwest::Response {
    s.http
        .request(Method::OPTIONS, format!("{}{path}", s.origin))
        .header("Origin", "http://app.example")
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", headers)
        .send()
        .await
        .expect("preflight")
}

fn listed(response: &reqwest::Response, header: &str, item: &str) -> bool {
    response
        .headers()
        .get(header)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|x| x.trim().eq_ignore_ascii_case(item)))
}

#[tokio::test]
async fn preflights_allow_json_posts_and_authorized_gets_from_any_origin() {
    let s = Standin::spawn(&[]).await;
    for path in ["/v1/auth/start", "/v1/auth/poll"] {
        let response = preflight(&s, path, "POST", "content-type").await;
        assert!(response.status().is_success());
        assert_eq!(response.headers()["access-control-allow-origin"], "*");
        assert!(listed(&response, "access-control-allow-methods", "POST"));
        assert!(listed(
            &response,
            "access-control-allow-headers",
            "content-type"
        ));
    }
    let response = preflight(&s, "/v1/auth/validate", "GET", "authorization").await;
    assert!(response.status().is_success());
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert!(listed(&response, "access-control-allow-methods", "GET"));
    assert!(listed(
        &response,
        "access-control-allow-headers",
        "authorization"
    ));
}

#[tokio::test]
async fn every_api_origin_answer_but_the_confirm_page_carries_cors_headers() {
    let s = Standin::spawn(&[]).await;
    let answers = vec![
        s.start("nobody@example.com", None).await,
        s.poll("unknown").await,
        s.validate(None).await,
        s.get("/nowhere").await,
        s.post_raw("/auth/poll", Some("application/json"), vec![b' '; 70_000])
            .await,
    ];
    for response in answers {
        assert_eq!(
            response.headers()["access-control-allow-origin"],
            "*",
            "{} {}",
            response.url(),
            response.status()
        );
        assert!(listed(
            &response,
            "access-control-expose-headers",
            "retry-after"
        ));
    }
}

#[tokio::test]
async fn no_cors_leaves_every_cors_header_out() {
    let s = Standin::spawn(&["--no-cors"]).await;
    let (_, confirm_url) = s.start_ok("alice@example.com").await;
    let loopback_page = |path: &str| {
        s.http
            .get(format!("{}{path}", s.origin))
            .header("Origin", "http://127.0.0.1:9")
            .send()
    };
    let answers = vec![
        preflight(&s, "/v1/auth/start", "POST", "content-type").await,
        preflight(&s, "/v1/auth/validate", "GET", "authorization").await,
        loopback_page("/_standin/outbox").await.expect("outbox"),
        loopback_page("/_standin/fault-kinds").await.expect("kinds"),
        s.start("alice@example.com", None).await,
        s.validate(None).await,
        s.get("/nowhere").await,
        s.http.get(&confirm_url).send().await.expect("page"),
    ];
    for response in answers {
        let cors: Vec<_> = response
            .headers()
            .keys()
            .filter(|k| k.as_str().starts_with("access-control-"))
            .collect();
        assert!(cors.is_empty(), "{}: {cors:?}", response.url());
    }
}
