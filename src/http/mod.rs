//! `http` is the only place that opens sockets. Every outbound request — articles, platform
//! sources, media — goes through [`HttpClient`], which enforces timeouts, a streaming body cap,
//! a redirect limit with each hop checked, the private-address guard, host overrides and
//! per-host politeness. It never parses what it fetches beyond decoding text, and it never
//! connects to a non-public address unless the operator allowed it or configured it as an
//! override target.

mod body;
mod client;
mod error;
mod guard;
mod literal_guard;
mod overrides;
mod politeness;
mod redact;
mod response;
mod text;

#[cfg(test)]
mod tests;

pub use client::HttpClient;
pub use error::HttpError;
pub(crate) use error::{held_reason, whole_seconds};
pub use literal_guard::LiteralGuard;
pub use politeness::{DEFAULT_HOLD as DEFAULT_429_HOLD, LONGEST_HOLD as LONGEST_429_HOLD};
/// How long a host is held after a 429 without a readable `Retry-After`, and the longest hold.
pub use redact::{redact, register_secret};
pub use response::{Response, retry_after};
pub use text::charset_label;
/// Decode page bytes to text (BOM, then Content-Type charset, then `<meta charset>`).
pub use text::decode as decode_html;
