//! The fault matrix: every endpoint × every fault kind the stand-in can inject. Each
//! cell must reject with its documented code, and the next call must work, so one bad
//! answer never leaves the module broken. Each cell is also printed as a
//! `fault-matrix |` line, which `scripts/fault-matrix.sh` collects from every runtime
//! into docs/reliability.md, with the matrix's size (`fault-matrix-size |`).
//!
//! The kinds come from the stand-in (`GET /_standin/fault-kinds`): a kind with neither a
//! cell here nor a reason in [`LEFT_OUT`] fails the test, so adding a fault kind needs
//! a decision, never a hand-edited count.

use wasm_bindgen_test::wasm_bindgen_test;

use crate::harness::*;

/// A fault kind, the options the call gets, and what it must reject with. `status` is
/// the documented HTTP status on the error; `None` means "no readable status".
struct Cell {
    name: &'static str,
    fault: &'static str,
    code: &'static str,
    status: Option<u16>,
}

const CELLS: &[Cell] = &[
    Cell {
        name: "5xx",
        fault: r#""kind":"status","status":500"#,
        code: "SERVER_ERROR",
        status: Some(500),
    },
    Cell {
        name: "503 + Retry-After",
        fault: r#""kind":"status","status":503,"retry_after":1"#,
        code: "SERVER_ERROR",
        status: Some(503),
    },
    Cell {
        name: "429",
        fault: r#""kind":"status","status":429"#,
        code: "RATE_LIMITED",
        status: Some(429),
    },
    Cell {
        name: "other status (418)",
        fault: r#""kind":"status","status":418"#,
        code: "BAD_RESPONSE",
        status: Some(418),
    },
    Cell {
        name: "delay past timeoutMs (poll: deadlineMs)",
        fault: r#""kind":"delay","delay_ms":3000"#,
        code: "TIMEOUT",
        status: None,
    },
    // Ten times: browsers silently retry a request whose reused connection closes
    // without an answer, so one drop would be invisible there.
    Cell {
        name: "drop",
        fault: r#""kind":"drop","times":10"#,
        code: "NETWORK",
        status: None,
    },
    Cell {
        name: "not JSON",
        fault: r#""kind":"not_json""#,
        code: "BAD_RESPONSE",
        status: Some(200),
    },
    Cell {
        name: "wrong shape",
        fault: r#""kind":"wrong_shape""#,
        code: "BAD_RESPONSE",
        status: Some(200),
    },
    Cell {
        name: "empty body",
        fault: r#""kind":"empty""#,
        code: "BAD_RESPONSE",
        status: Some(200),
    },
    Cell {
        name: "5 MB body",
        fault: r#""kind":"oversized","bytes":5000000"#,
        code: "BAD_RESPONSE",
        status: Some(200),
    },
    Cell {
        name: "endless body",
        fault: r#""kind":"endless""#,
        code: "BAD_RESPONSE",
        status: Some(200),
    },
    // Node reports the 302 itself; browsers an opaque redirect without a status.
    Cell {
        name: "redirect",
        fault: r#""kind":"redirect""#,
        code: "BAD_RESPONSE",
        status: Some(302),
    },
    Cell {
        name: "javascript: confirm_url",
        fault: r#""kind":"body","body":"{\"token\":\"t\",\"confirm_url\":\"javascript:alert(1)\"}""#,
        code: "BAD_RESPONSE",
        status: Some(200),
    },
];

/// Kinds that deliver the real answer, so there is no rejection to expect: whether the
/// call succeeds depends on what timeoutMs, deadlineMs and abort mean, which the
/// key-at-request-time tests cover.
const LEFT_OUT: &[(&str, &str)] = &[
    ("late_answer", "the real answer, late"),
    ("slow_body", "the real answer, slowly"),
];

const ENDPOINTS: [&str; 3] = ["start", "poll", "validate"];

impl Cell {
    /// The `"kind"` of this cell's fault.
    fn kind(&self) -> &'static str {
        let rest = self
            .fault
            .split_once(r#""kind":""#)
            .map_or("", |(_, rest)| rest);
        rest.split_once('"').map_or("", |(kind, _)| kind)
    }
}

/// The stand-in's fault kinds.
async fn fault_kinds(api: &str) -> Vec<String> {
    let response = Request::get(&format!("{}/_standin/fault-kinds", origin(api)))
        .send()
        .await
        .expect("fault-kinds");
    assert_eq!(response.status(), 200, "GET /_standin/fault-kinds");
    let text = response.text().await.expect("fault-kinds body");
    let list = js_sys::JSON::parse(&text).expect("fault-kinds JSON");
    js_sys::Array::from(&list)
        .iter()
        .map(|kind| kind.as_string().expect("a kind name"))
        .collect()
}

/// Every kind the stand-in injects has a cell or a reason to be left out, and neither
/// names a kind it does not know.
async fn assert_every_kind_is_covered(api: &str) {
    let kinds = fault_kinds(api).await;
    for kind in &kinds {
        let in_cells = CELLS.iter().any(|cell| cell.kind() == kind);
        let left_out = LEFT_OUT.iter().any(|(name, _)| name == kind);
        assert!(
            in_cells != left_out,
            "fault kind {kind:?}: give it a cell in CELLS or a reason in LEFT_OUT (not both)"
        );
    }
    let named = CELLS.iter().map(Cell::kind);
    for kind in named.chain(LEFT_OUT.iter().map(|(name, _)| *name)) {
        assert!(
            kinds.iter().any(|k| k == kind),
            "{kind:?} is no fault kind of the stand-in ({kinds:?})"
        );
    }
}

/// The endpoint's real answer, once the faults are cleared.
async fn assert_next_call_works(api: &str, endpoint: &str, token: &str) {
    // The library's default timeout: a busy machine must not turn this into a TIMEOUT.
    let answer = call_as_alice(endpoint, token, opts(api, &[])).await;
    match endpoint {
        "start" => {
            answer.expect("start works again");
        }
        "poll" => {
            let pending = answer.expect("poll works again");
            assert_eq!(get_str(&pending, "status"), "pending");
        }
        _ => {
            expect_code(answer, "INVALID_CREDENTIALS", Some(401));
        }
    }
}

#[wasm_bindgen_test]
async fn fault_matrix() {
    let api = api();
    assert_every_kind_is_covered(api).await;
    wasm_bindgen_test::console_log!("fault-matrix-size | {}", ENDPOINTS.len() * CELLS.len());
    clear_faults(api).await;
    let (token, confirm_url) = start_alice(api).await;
    for endpoint in ENDPOINTS {
        for cell in CELLS {
            arm(
                api,
                &format!(r#"{{"endpoint":"{endpoint}",{}}}"#, cell.fault),
            )
            .await;
            sleep(220).await; // the stand-in's poll interval
                              // Short only where the delay must outlast it.
            let timeout_ms = if cell.code == "TIMEOUT" { 300 } else { 30_000 };
            let mut options: Vec<(&str, JsValue)> = vec![("timeoutMs", timeout_ms.into())];
            // A poll is never cut at its timeout (its answer may hold the only copy of
            // the key): a slow one ends at the deadline instead.
            let poll_waits = endpoint == "poll" && cell.code == "TIMEOUT";
            if poll_waits {
                options.push(("deadlineMs", timeout_ms.into()));
            }
            let expected = if poll_waits { "DEADLINE" } else { cell.code };
            let err = call_as_alice(endpoint, &token, opts(api, &options))
                .await
                .expect_err("a fault must not succeed");
            assert!(tvmaze_auth::is_tvmaze_auth_error(err.clone()), "{err:?}");
            let code = get_str(&err, "code");
            let status = get(&err, "status").as_f64().map(|s| s as u16);
            let status_ok = status == cell.status || (cell.name == "redirect" && status.is_none());
            assert!(
                code == expected && status_ok,
                "{endpoint} × {}: {code} {status:?}, expected {expected} {:?}",
                cell.name,
                cell.status
            );
            clear_faults(api).await;
            sleep(220).await;
            assert_next_call_works(api, endpoint, &token).await;
            let status = status.map_or("-".to_string(), |s| s.to_string());
            wasm_bindgen_test::console_log!(
                "fault-matrix | {endpoint} | {} | {code} | {status} | next call ok",
                cell.name
            );
        }
    }
    // The whole flow still works end to end.
    decide(&confirm_url, "confirm").await;
    sleep(220).await;
    let confirmed = poll_with(&token, opts(api, &[])).await.expect("key");
    assert_eq!(get_str(&confirmed, "status"), "confirmed");
}
