//! The confirm page: plain HTML, no JavaScript, who asked, Confirm and Deny.

use crate::common::{temp_dir, Standin};

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
    assert!(response.headers()["access-control-allow-origin"] == "*");
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
