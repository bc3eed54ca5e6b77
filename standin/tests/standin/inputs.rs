//! Bad input gets 4xx answers, never a 500: malformed JSON, missing or wrong-typed
//! fields, other content types, bodies over 64 KiB, unknown paths and methods.

use serde_json::json;

use crate::common::{json_body, Standin};

#[tokio::test]
async fn malformed_and_wrong_typed_bodies_are_4xx() {
    let s = Standin::spawn(&[]).await;
    for path in ["/auth/start", "/auth/poll"] {
        for (content_type, body, status) in [
            (Some("application/json"), "{\"email\":", 400),
            (Some("application/json"), "", 400),
            (Some("application/json"), "[]", 400),
            (Some("application/json"), "\"x\"", 400),
            (Some("application/json"), "null", 400),
            (Some("application/json"), "{}", 422),
            (Some("application/json"), "{\"email\":42,\"token\":42}", 422),
            (
                Some("application/json"),
                "{\"email\":null,\"token\":null}",
                422,
            ),
            (Some("text/plain"), "{\"email\":\"a\",\"token\":\"a\"}", 415),
            (
                Some("application/x-www-form-urlencoded"),
                "email=a&token=a",
                415,
            ),
            (None, "{\"email\":\"a\",\"token\":\"a\"}", 415),
        ] {
            let response = s.post_raw(path, content_type, body.into()).await;
            assert_eq!(
                response.status(),
                status,
                "{path} {content_type:?} {body:?}"
            );
            assert_eq!(json_body(response).await["status"], status);
        }
    }
    for bad in [json!("yes"), json!(1), json!(null), json!({})] {
        let response = s
            .post_json(
                "/auth/start",
                &json!({"email": "alice@example.com", "email_confirmation": bad}),
            )
            .await;
        assert_eq!(response.status(), 422, "{bad}");
    }
    // Unknown extra fields are ignored, as the spec does not forbid them.
    let response = s
        .post_json(
            "/auth/start",
            &json!({"email": "alice@example.com", "extra": [1]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    // A charset parameter is fine.
    let response = s
        .post_raw(
            "/auth/poll",
            Some("application/json; charset=utf-8"),
            b"{\"token\":\"t\"}".to_vec(),
        )
        .await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn bodies_over_64_kib_are_413_and_64_kib_is_fine() {
    let s = Standin::spawn(&[]).await;
    let limit = 64 * 1024;
    // Exactly at the limit: a JSON object padded with spaces.
    let mut body = b"{\"token\":\"t\"}".to_vec();
    body.resize(limit, b' ');
    let response = s
        .post_raw("/auth/poll", Some("application/json"), body)
        .await;
    assert_eq!(response.status(), 404);
    for path in ["/auth/start", "/auth/poll"] {
        let mut body = b"{\"email\":\"alice@example.com\"}".to_vec();
        body.resize(limit + 1, b' ');
        let response = s.post_raw(path, Some("application/json"), body).await;
        assert_eq!(response.status(), 413, "{path}");
    }
    // Read to its end before the answer, so the client reliably sees the 413 rather
    // than a reset connection.
    let response = s
        .post_raw(
            "/auth/start",
            Some("application/json"),
            vec![b'x'; 5_000_000],
        )
        .await;
    assert_eq!(response.status(), 413);
    assert_eq!(json_body(response).await["status"], 413);
    // Without a Content-Length (chunked), the limit holds too.
    let mut chunked = String::from(
        "POST /v1/auth/poll HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
    );
    chunked.push_str(&format!(
        "{:x}\r\n{}\r\n0\r\n\r\n",
        70_000,
        " ".repeat(70_000)
    ));
    let answer = raw_request(&s, &chunked).await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    // A declared length too large to be worth reading is refused from the headers alone.
    let answer = raw_request(
        &s,
        "POST /v1/auth/start HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: 100000000\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
}

/// Sends `request` as is on a fresh connection and returns the answer's text.
async fn raw_request(s: &Standin, request: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let addr = s.origin.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_405() {
    let s = Standin::spawn(&[]).await;
    for path in ["/", "/v1", "/v1/auth", "/v1/auth/nope", "/v1/shows/1"] {
        let response = s.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(json_body(response).await["name"], "Not Found");
    }
    let response = s.get("/v1/auth/start").await;
    assert_eq!(response.status(), 405);
    let response = s.post_json("/auth/validate", &json!({})).await;
    assert_eq!(response.status(), 405);
    let response = s
        .http
        .delete(format!("{}/auth/poll", s.api))
        .send()
        .await
        .expect("delete");
    assert_eq!(response.status(), 405);
}
