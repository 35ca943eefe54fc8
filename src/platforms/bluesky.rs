//! bluesky: URL recognition (no resolver yet).

use url::Url;

use crate::model::Recognised;

/// Claim bluesky post URLs.
pub fn recognise(_url: &Url) -> Option<Recognised> {
    None
}
