//! Arguments and options: what is refused before anything is sent, what is accepted,
//! and the type guard.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::harness::*;

/// Every bad argument is INVALID_ARGUMENT and sends nothing: a fault armed before is
/// still there for the first real request afterwards.
#[wasm_bindgen_test]
async fn invalid_arguments_send_nothing() {
    let api = api();
    arm_tripwires(api).await;
    #[track_caller]
    fn bad(r: Result<JsValue, JsValue>) {
        expect_code(r, "INVALID_ARGUMENT", None);
    }
    let o = |more: &[(&str, JsValue)]| opts(api, more);

    for email in ["", "   ", "alice", "@example.com", "alice@", "a@b@c"] {
        bad(start_with(email, o(&[])).await);
    }
    bad(settle(tvmaze_auth::start_auth(42.into(), o(&[]))).await);
    bad(settle(tvmaze_auth::start_auth(JsValue::UNDEFINED, o(&[]))).await);
    for base in [
        "http://api.tvmaze.com/v1",
        "ftp://127.0.0.1/v1",
        "not a url",
        "https://user@api.tvmaze.com/v1",
        "https://api.tvmaze.com/v1?x=1",
        "",
        // Passes the pure checks, but fetch's URL parser refuses it: still
        // INVALID_ARGUMENT before anything is sent, not NETWORK.
        "http://localhost:99999/v1",
        "http://127.0.0.1:65536",
        "https://a<b>/v1",
        "https://exa%zzmple.com/v1",
        "https://[zz]/v1",
        "https://999.1.1.1/v1",
    ] {
        bad(start_with("alice@example.com", obj(&[("baseUrl", base.into())])).await);
    }
    let wrong_types: Vec<(&str, JsValue)> = vec![
        ("baseUrl", 5.into()),
        ("timeoutMs", "1000".into()),
        ("timeoutMs", f64::NAN.into()),
        ("timeoutMs", (-1).into()),
        ("timeoutMs", 0.into()),
        ("timeoutMs", f64::INFINITY.into()),
        ("timeoutMs", 3e10.into()),
        ("emailConfirmation", "no".into()),
        ("signal", "abort".into()),
        ("signal", Object::new().into()),
        ("intervalMs", (-5).into()),
        ("deadlineMs", f64::NAN.into()),
        ("maxTransientErrors", 1.5.into()),
        ("onPoll", "not a function".into()),
    ];
    for (key, value) in wrong_types {
        let result = start_with("alice@example.com", o(&[(key, value.clone())])).await;
        let code = result.as_ref().err().map(|e| get(e, "code"));
        assert_eq!(code, Some("INVALID_ARGUMENT".into()), "{key}: {value:?}");
        bad(result);
    }
    bad(start_with("alice@example.com", "options".into()).await);
    bad(start_with("alice@example.com", 7.into()).await);

    for token in ["", " \t "] {
        bad(poll_with(token, o(&[])).await);
        bad(settle(wait_promise(token, o(&[]))).await);
    }
    bad(validate_with("", "key", o(&[])).await);
    bad(validate_with("alice", " ", o(&[])).await);
    let null_key = tvmaze_auth::validate("alice".into(), JsValue::NULL, o(&[]));
    bad(settle(null_key).await);

    // Strings the wire could not carry as given: a lone surrogate (sent, it would arrive
    // as U+FFFD, another token or key), and what HTTP Basic cannot hold.
    let lone = |s: &str| {
        let mut units: Vec<u16> = s.encode_utf16().collect();
        units.insert(1, 0xD800);
        JsValue::from(js_sys::JsString::from_char_code(&units))
    };
    let start = |email: JsValue, options: JsValue| settle(tvmaze_auth::start_auth(email, options));
    bad(start(lone("alice@example.com"), o(&[])).await);
    bad(start("alice@example.com".into(), o(&[("baseUrl", lone(api))])).await);
    bad(settle(tvmaze_auth::poll_auth(lone("token"), o(&[]))).await);
    bad(settle(tvmaze_auth::wait_for_confirmation(lone("token"), o(&[]))).await);
    bad(settle(tvmaze_auth::validate(lone("alice"), "key".into(), o(&[]))).await);
    bad(settle(tvmaze_auth::validate("alice".into(), lone("key"), o(&[]))).await);
    for user in ["al:ice", "al\r\nX-Injected: 1", "al\u{0}ice", "al\u{7f}"] {
        bad(validate_with(user, "key", o(&[])).await);
    }
    bad(validate_with("alice", "key\r\nX-Injected: 1", o(&[])).await);
    // 254 characters is SMTP's limit for an address; one more is refused.
    let long_email = format!("{}@example.com", "a".repeat(255 - "@example.com".len()));
    bad(start_with(&long_email, o(&[])).await);
    bad(poll_with(&"t".repeat(2049), o(&[])).await);

    // The faults armed above were not consumed by any of those calls.
    assert_tripwires_intact(api).await;
}

/// An oversized argument is refused by its length, before it is copied into wasm memory:
/// a 16 MB email leaves the module's memory as it was.
#[wasm_bindgen_test]
async fn oversized_argument_is_not_copied_into_wasm_memory() {
    let memory = || {
        wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length()
    };
    let huge = JsValue::from(js_sys::JsString::from("a@b").concat(&"x".repeat(1 << 24).into()));
    let before = memory();
    let r = settle(tvmaze_auth::start_auth(huge, opts(api(), &[]))).await;
    expect_code(r, "INVALID_ARGUMENT", None);
    let grown = memory() - before;
    assert!(grown < 1 << 20, "wasm memory grew by {grown} bytes");
}

/// Unknown option keys are ignored; null/undefined options mean defaults; a trailing
/// slash on baseUrl is fine.
#[wasm_bindgen_test]
async fn lenient_options() {
    let api = api();
    let with_extras = opts(
        api,
        &[
            ("somethingElse", 1.into()),
            ("emailConfirmation", false.into()),
        ],
    );
    start_with("alice@example.com", with_extras)
        .await
        .expect("unknown keys ignored");
    let slash = format!("{api}/");
    start_with(
        "alice@example.com",
        obj(&[("baseUrl", slash.as_str().into())]),
    )
    .await
    .expect("trailing slash");
    let null_signal = opts(
        api,
        &[("signal", JsValue::NULL), ("timeoutMs", JsValue::UNDEFINED)],
    );
    start_with("alice@example.com", null_signal)
        .await
        .expect("null/undefined options");
}

#[wasm_bindgen_test]
async fn is_tvmaze_auth_error_is_precise() {
    assert!(!tvmaze_auth::is_tvmaze_auth_error(JsValue::NULL));
    assert!(!tvmaze_auth::is_tvmaze_auth_error("TvmazeAuthError".into()));
    assert!(!tvmaze_auth::is_tvmaze_auth_error(
        js_sys::Error::new("x").into()
    ));
    let impostor = obj(&[
        ("name", "TvmazeAuthError".into()),
        ("code", "NETWORK".into()),
    ]);
    assert!(!tvmaze_auth::is_tvmaze_auth_error(impostor), "not an Error");
    let err = start_with("", opts(api(), &[])).await.expect_err("invalid");
    assert!(tvmaze_auth::is_tvmaze_auth_error(err));
}
