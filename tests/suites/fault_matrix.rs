//! The fault matrix: every endpoint × every fault kind the stand-in can inject. Each
//! cell must reject with its documented code, and the next call must work, so one bad
//! answer never leaves the module broken. Each cell is also printed as a
//! `fault-matrix |` line, which `scripts/fault-matrix.sh` collects from every runtime
//! into docs/reliability.md.

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

const CELLS: [Cell; 13] = [
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
    clear_faults(api).await;
    let (token, confirm_url) = start_alice(api).await;
    for endpoint in ["start", "poll", "validate"] {
        for cell in &CELLS {
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
