//! The suites every runtime runs (page, Worker and Node); each test carries its own
//! `#[wasm_bindgen_test]`. The runtime-only suites are declared by the test binary that
//! runs them.

mod abort;
mod arguments;
mod error_codes;
mod fault_matrix;
mod flows;
mod hostile;
mod one_time_key;
mod pacing;
