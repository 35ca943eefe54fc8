//! x: URL recognition and canonicalisation; the resolver lives in [`resolve`].

use url::Url;

use crate::model::Recognised;

pub mod oembed;
pub mod resolve;
pub mod syndication;
pub mod token;

/// Claim x post URLs.
pub fn recognise(_url: &Url) -> Option<Recognised> {
    None
}
