//! The client against the stand-ins, in Node (global fetch, Node 18+):
//! `wasm-pack test --node`. Everything but CORS, which Node does not enforce.

#[macro_use]
#[path = "common/suite.rs"]
mod suite_macro;
mod common;

full_suite!(
    // Node has no location to resolve a same-origin path against.
    same_origin_base_is_refused_without_location,
);
