//! The confirm page: plain HTML, no JavaScript, who asked, Confirm and Deny.

use reqwest::Method;

use crate::common::{temp_dir, Standin};

/// The CORS headers of an answer; the confirm page must have none.
fn cors_headers(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

#[tokio::test]
async fn page_shows_who_asked_with_a_form_that_posts_back_without_javascript() {
    let s = Standin::spawn(&[]).await;
    let (token, confirm_url) = s.start_ok("alice@example.com").await;
    let response = s.http.get(&confirm_url).send().await.expect("page");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    assert!(cors_headers(&response).is_empty());
    let html = response.text().await.expect("html");
    assert!(html.contains("alice@example.com"));
    assert!(html.contains(&format!(
        "<form method=\"post\" action=\"/confirm/{token}\">"
    )));
    assert!(html.contains("name=\"decision\" value=\"confirm\">Confirm</button>"));
    assert!(html.contains("name=\"decision\" value=\"deny\">Deny</button>"));
    assert!(!html.contains("<script"), "must work without JavaScript");
}

#[tokio::test]
async fn posting_a_decision_says_what_happened_and_cannot_be_repeated() {
    let s = Standin::spawn(&[]).await;
    let (_, confirm_url) = s.start_ok("alice@example.com").await;
    let response = s.decide(&confirm_url, "confirm").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("html");
    assert!(html.contains("data-outcome=\"confirmed\""));
    assert!(html.contains("You confirmed"));
    let response = s.decide(&confirm_url, "deny").await;
    assert_eq!(response.status(), 409);
    assert!(response
        .text()
        .await
        .expect("html")
        .contains("data-outcome=\"confirmed\""));
    // A later visit shows the outcome, no buttons.
    let html = s
        .http
        .get(&confirm_url)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("data-outcome=\"confirmed\"") && !html.contains("<form"));

    let (_, deny_url) = s.start_ok("alice@example.com").await;
    let html = s
        .decide(&deny_url, "deny")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("data-outcome=\"denied\"") && html.contains("You denied"));
}

#[tokio::test]
async fn bad_decisions_and_unknown_tokens_are_4xx_pages() {
    let s = Standin::spawn(&[]).await;
    let (token, confirm_url) = s.start_ok("alice@example.com").await;
    assert_eq!(s.decide(&confirm_url, "maybe").await.status(), 400);
    let response = s
        .http
        .post(&confirm_url)
        .header("Content-Type", "application/json")
        .body("{\"decision\":\"confirm\"}")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 415);
    let response = s
        .http
        .post(&confirm_url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("other=1")
        .send()
        .await
        .expect("post");
    assert!(response.status().is_client_error());
    // Still pending after all that.
    assert_eq!(s.poll(&token).await.status(), 403);
    assert_eq!(s.get("/confirm/unknown").await.status(), 404);
    assert_eq!(
        s.decide(&format!("{}/confirm/unknown", s.origin), "confirm")
            .await
            .status(),
        404
    );
    assert_eq!(s.get("/confirm/%FF%FE").await.status(), 404);
}

#[tokio::test]
async fn the_page_escapes_what_it_shows_and_users_come_from_the_users_file() {
    let dir = temp_dir("users");
    let users = dir.path().join("users.json");
    std::fs::write(
        &users,
        r#"[{"email":"<script>alert(1)</script>@example.com","username":"x\"y","premium":3,"email_confirmed":true}]"#,
    )
    .expect("write users");
    let s = Standin::spawn(&["--users", users.to_str().expect("utf-8 path")]).await;
    assert_eq!(s.start("alice@example.com", None).await.status(), 404);
    let (_, confirm_url) = s.start_ok("<script>alert(1)</script>@example.com").await;
    let html = s
        .http
        .get(&confirm_url)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;@example.com"));
    assert!(html.contains("x&quot;y"));
}

#[tokio::test]
async fn decisions_posted_from_another_site_are_refused_and_decide_nothing() {
    let s = Standin::spawn(&[]).await;
    let (token, confirm_url) = s.start_ok("alice@example.com").await;
    let demo_origin = s.demo.trim_end_matches('/').to_owned();
    // What a browser sends when a page elsewhere auto-submits a form to this page,
    // with and without Fetch Metadata, plus a sibling origin on the same host.
    let attacks: Vec<Vec<(&str, &str)>> = vec![
        vec![("Origin", "https://evil.example")],
        vec![("Sec-Fetch-Site", "cross-site")],
        vec![
            ("Sec-Fetch-Site", "cross-site"),
            ("Origin", "https://evil.example"),
        ],
        vec![("Origin", "null")],
        vec![("Sec-Fetch-Site", "same-site"), ("Origin", &demo_origin)],
        // A page on a domain re-pointed at 127.0.0.1 (DNS rebinding) is same-origin
        // with itself, but names its domain in Host.
        vec![
            ("Sec-Fetch-Site", "same-origin"),
            ("Host", "rebound.example"),
        ],
    ];
    for attack in &attacks {
        let mut request = s
            .http
            .post(&confirm_url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("decision=confirm");
        for (name, value) in attack {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("post");
        assert_eq!(response.status(), 403, "{attack:?}");
        assert!(cors_headers(&response).is_empty(), "{attack:?}");
        let html = response.text().await.expect("html");
        assert!(html.contains("data-outcome=\"refused\""), "{attack:?}");
        // Nothing was decided: the attacker's poll gets no key.
        assert_eq!(s.poll(&token).await.status(), 403, "{attack:?}");
    }
    let html = s
        .http
        .get(&confirm_url)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("<form"), "still pending, still asking");

    // The page's own form, as a browser posts it: same-origin, and `Origin: null`
    // because of the page's no-referrer policy. Then the key comes out, once.
    let response = s
        .http
        .post(&confirm_url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Sec-Fetch-Site", "same-origin")
        .header("Origin", "null")
        .body("decision=confirm")
        .send()
        .await
        .expect("own form");
    assert_eq!(response.status(), 200);
    assert_eq!(s.poll(&token).await.status(), 200);

    // A browser without Fetch Metadata that names this page's own origin passes too.
    let (token, confirm_url) = s.start_ok("alice@example.com").await;
    let response = s
        .http
        .post(&confirm_url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", &s.origin)
        .body("decision=deny")
        .send()
        .await
        .expect("own origin");
    assert_eq!(response.status(), 200);
    assert_eq!(s.poll(&token).await.status(), 404);
}

#[tokio::test]
async fn the_confirm_page_has_no_cors_and_tests_decide_through_a_helper() {
    let s = Standin::spawn(&[]).await;
    let (token, confirm_url) = s.start_ok("alice@example.com").await;
    let get = s
        .http
        .get(&confirm_url)
        .header("Origin", "http://app.example")
        .send()
        .await
        .expect("page");
    let preflight = s
        .http
        .request(Method::OPTIONS, &confirm_url)
        .header("Origin", "http://app.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .expect("preflight");
    let post = s.decide(&confirm_url, "maybe").await;
    for response in [get, preflight, post] {
        assert!(
            cors_headers(&response).is_empty(),
            "{} {}",
            response.status(),
            response.url()
        );
    }
    // Tests running in a browser page post the decision to the helper, which a loopback
    // page may call and read, like the other /_standin/ helpers.
    let response = s
        .http
        .post(format!("{}/_standin/decide/{token}", s.origin))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", "http://127.0.0.1:9")
        .header("Sec-Fetch-Site", "same-site")
        .body("decision=confirm")
        .send()
        .await
        .expect("helper");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "http://127.0.0.1:9"
    );
    assert_eq!(s.poll(&token).await.status(), 200);
    let unknown = s
        .http
        .post(format!("{}/_standin/decide/unknown", s.origin))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("decision=confirm")
        .send()
        .await
        .expect("helper");
    assert_eq!(unknown.status(), 404);
}
