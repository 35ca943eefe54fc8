//! instagram: URL recognition and canonicalisation; the resolver lives in [`resolve`].

use url::Url;

use crate::model::Recognised;

pub mod embed_page;
pub mod graph;
pub mod resolve;

/// Claim instagram post URLs.
pub fn recognise(_url: &Url) -> Option<Recognised> {
    None
}
