//! Integration tests of the real `tvmaze-standin` binary over real HTTP: the stand-in's
//! behaviour as its README and the spec describe it, each file one area. Every test
//! spawns its own stand-in on free ports, so they run in parallel and share nothing.

mod common;

mod confirm;
mod connections;
mod cors;
mod demo;
mod faults;
mod helpers;
mod inputs;
mod lifecycle;
mod pairing;
mod rate_limits;
mod slow_bodies;
mod user_api;
mod validate;
