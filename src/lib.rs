//! embedkeep keeps the social-media posts embedded in articles: it finds every embed in an
//! article, archives each post as versioned snapshots in SQLite, re-checks whether the post is
//! still there, and serves a faithful fallback when it is not.
//!
//! The stages, each a module with one job (see README "Architecture"):
//! `http` → `discover` → `platforms` → `media` → `store`, wired by `pipeline`; `liveness` is the
//! pure state machine; `cli` turns arguments into calls.

pub mod blocking;
pub mod cli;
pub mod config;
pub mod demo;
pub mod discover;
pub mod http;
pub mod liveness;
pub mod media;
pub mod model;
pub mod pipeline;
pub mod platforms;
pub mod render;
pub mod report;
pub mod schedule;
pub mod serve;
pub mod service;
pub mod store;
#[cfg(test)]
mod test_support;
