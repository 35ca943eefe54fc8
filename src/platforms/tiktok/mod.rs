//! tiktok: URL recognition and canonicalisation; the resolver lives in [`resolve`].

use url::Url;

use crate::model::Recognised;

mod answer;
pub mod error;
pub mod oembed;
pub mod rehydration;
pub mod resolve;

#[cfg(test)]
mod tests;

/// Claim tiktok post URLs.
pub fn recognise(_url: &Url) -> Option<Recognised> {
    None
}
