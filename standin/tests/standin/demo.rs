//! The demo origin: www/ at /, pkg/ at /pkg/, /demo-config.json, and the CSP header.

use crate::common::{temp_dir, Standin};

#[tokio::test]
async fn serves_www_pkg_and_config_with_the_csp_on_every_answer() {
    let www = temp_dir("www");
    let pkg = temp_dir("pkg");
    std::fs::write(
        www.path().join("index.html"),
        "<!doctype html><title>demo</title>",
    )
    .expect("write");
    std::fs::write(www.path().join("app.js"), "export {};").expect("write");
    std::fs::write(pkg.path().join("tvmaze_auth_bg.wasm"), b"\0asm\x01\0\0\0").expect("write");
    std::fs::write(pkg.path().join("tvmaze_auth.js"), "export default 1;").expect("write");
    let s = Standin::spawn(&[
        "--www-dir",
        www.path().to_str().expect("utf-8"),
        "--pkg-dir",
        pkg.path().to_str().expect("utf-8"),
    ])
    .await;
    assert!(s.demo.ends_with('/') && s.demo != format!("{}/", s.origin));
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' {} \
         https://api.tvmaze.com; style-src 'self'; img-src 'self' data:; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'; object-src 'none'",
        s.origin
    );
    let get = |path: &str| s.http.get(format!("{}{path}", s.demo)).send();

    let index = get("").await.expect("index");
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["content-security-policy"], csp.as_str());
    assert_eq!(index.headers()["cache-control"], "no-store");
    assert_eq!(
        index.text().await.expect("html"),
        "<!doctype html><title>demo</title>"
    );

    let wasm = get("pkg/tvmaze_auth_bg.wasm").await.expect("wasm");
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["cache-control"], "no-store");
    assert_eq!(wasm.headers()["content-security-policy"], csp.as_str());
    assert_eq!(
        wasm.bytes().await.expect("bytes").as_ref(),
        b"\0asm\x01\0\0\0"
    );

    let js = get("pkg/tvmaze_auth.js").await.expect("js");
    assert!(js.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .contains("javascript"));
    let app = get("app.js").await.expect("app");
    assert_eq!(app.status(), 200);

    let config = get("demo-config.json").await.expect("config");
    assert_eq!(config.status(), 200);
    assert_eq!(config.headers()["content-security-policy"], csp.as_str());
    let config: serde_json::Value = config.json().await.expect("json");
    assert_eq!(config, serde_json::json!({ "standinApiBase": s.api }));

    let missing = get("nope.html").await.expect("missing");
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["content-security-policy"], csp.as_str());
    assert_eq!(get("../Cargo.toml").await.expect("escape").status(), 404);
    assert_eq!(
        get("pkg/../../etc/passwd").await.expect("escape").status(),
        404
    );
    // The demo origin is not the API.
    assert_eq!(
        get("v1/auth/validate").await.expect("not api").status(),
        404
    );
}

#[tokio::test]
async fn defaults_to_the_repository_www() {
    let s = Standin::spawn(&[]).await;
    let repo_www = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/index.html");
    let index = s.http.get(&s.demo).send().await.expect("index");
    if repo_www.exists() {
        assert_eq!(index.status(), 200);
        let served = index.text().await.expect("html");
        assert_eq!(served, std::fs::read_to_string(repo_www).expect("read"));
    } else {
        assert_eq!(index.status(), 404);
    }
}

/// `--proxy-api`: the page is told to use "/v1" on its own origin, where the auth
/// endpoints and the confirm pages answer as on the API origin (here with `--no-cors`,
/// so nothing depends on a CORS answer), and confirm URLs point at that origin.
#[tokio::test]
async fn proxy_api_serves_the_pairing_flow_on_the_demo_origin() {
    let s = Standin::spawn(&["--proxy-api", "--no-cors"]).await;
    let demo = s.demo.trim_end_matches('/');
    let config: serde_json::Value = s
        .http
        .get(format!("{demo}/demo-config.json"))
        .send()
        .await
        .expect("config")
        .json()
        .await
        .expect("json");
    assert_eq!(config, serde_json::json!({ "standinApiBase": "/v1" }));

    let started: serde_json::Value = s
        .http
        .post(format!("{demo}/v1/auth/start"))
        .json(&serde_json::json!({ "email": "alice@example.com", "email_confirmation": false }))
        .send()
        .await
        .expect("start")
        .json()
        .await
        .expect("json");
    let token = started["token"].as_str().expect("token");
    assert_eq!(started["confirm_url"], format!("{demo}/confirm/{token}"));
    let page = s
        .http
        .get(format!("{demo}/confirm/{token}"))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    // The confirm page keeps its own CSP, which lets its form post to itself.
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(csp.contains("form-action 'self'"), "{csp}");
    let decided = s
        .http
        .post(format!("{demo}/confirm/{token}"))
        .form(&[("decision", "confirm")])
        .send()
        .await
        .expect("decide");
    assert_eq!(decided.status(), 200);
    let polled = s
        .http
        .post(format!("{demo}/v1/auth/poll"))
        .json(&serde_json::json!({ "token": token }))
        .send()
        .await
        .expect("poll");
    assert_eq!(polled.status(), 200);
    let polled: serde_json::Value = polled.json().await.expect("json");
    assert_eq!(polled["username"], "alice");
    // Other paths are still the demo's files.
    let missing = s
        .http
        .get(format!("{demo}/v1/other"))
        .send()
        .await
        .expect("other");
    assert!(missing.headers().contains_key("content-security-policy"));
}

#[tokio::test]
async fn the_demo_outbox_is_served_to_the_demo_page_only() {
    // No --test-helpers: the demo's "email me a link" works without them.
    let s =
        Standin::spawn_exact(&["--api-addr", "127.0.0.1:0", "--demo-addr", "127.0.0.1:0"]).await;
    assert_eq!(s.start("bob@example.com", None).await.status(), 200);
    let demo_origin = s.demo.trim_end_matches('/').to_owned();
    let url = format!("{}demo-outbox.json", s.demo);
    // The page's own tab (a link it opened, or its own fetch), and plain clients.
    let own: [&[(&str, &str)]; 3] = [
        &[],
        &[("Sec-Fetch-Site", "same-origin")],
        &[("Sec-Fetch-Site", "same-site"), ("Origin", &demo_origin)],
    ];
    for headers in own {
        let mut request = s.http.get(&url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("outbox");
        assert_eq!(response.status(), 200, "{headers:?}");
        assert!(response
            .headers()
            .get("access-control-allow-origin")
            .is_none());
        assert_eq!(response.headers()["cache-control"], "no-store");
        let mail = crate::common::json_body(response).await;
        assert_eq!(mail[0]["to"], "bob@example.com", "{mail}");
        assert!(mail[0]["confirm_url"]
            .as_str()
            .is_some_and(|u| u.starts_with(&format!("{}/confirm/", s.origin))));
    }
    // Any other page: its confirm URLs would let it poll for the key.
    let others: [&[(&str, &str)]; 5] = [
        &[("Sec-Fetch-Site", "cross-site")],
        &[("Origin", "https://evil.example")],
        &[("Sec-Fetch-Site", "same-site"), ("Origin", &s.origin)],
        &[("Origin", "null")],
        &[
            ("Sec-Fetch-Site", "same-origin"),
            ("Host", "rebound.example"),
        ],
    ];
    for headers in others {
        let mut request = s.http.get(&url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("outbox");
        assert_eq!(response.status(), 403, "{headers:?}");
        assert!(response
            .headers()
            .get("access-control-allow-origin")
            .is_none());
        let text = response.text().await.expect("body");
        assert!(!text.contains("confirm_url"), "{text}");
    }
    // And the API origin's helper is not there without the flag.
    assert_eq!(s.get("/_standin/outbox").await.status(), 404);
}
