//! The client against the stand-ins, in Node (global fetch, Node 18+):
//! `wasm-pack test --node`. Every shared suite, plus what only Node does; not CORS,
//! which Node does not enforce.

mod harness;
#[path = "suites/node_only.rs"]
mod node_only;
mod suites;
