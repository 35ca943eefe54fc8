//! tiktok: URL recognition and canonicalisation; the resolver lives in [`resolve`].

use url::Url;

use crate::model::Recognised;

pub mod resolve;

/// Claim tiktok post URLs.
pub fn recognise(_url: &Url) -> Option<Recognised> {
    None
}
