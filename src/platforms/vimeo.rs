//! vimeo: URL recognition (no resolver yet).

use url::Url;

use crate::model::Recognised;

/// Claim vimeo post URLs.
pub fn recognise(_url: &Url) -> Option<Recognised> {
    None
}
