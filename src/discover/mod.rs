//! `discover` finds the embeds in an article's HTML and the remnants of embeds that decayed into
//! text. It is pure: it opens no socket and touches no database. Platform-specific URL shapes come
//! from the recognisers in `platforms/`.

use url::Url;

use crate::model::{EmbedRef, Remnant};

pub mod remnant;

/// What discovery found in one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Discovery {
    /// The page's `<title>` (or og:title), whitespace collapsed.
    pub title: Option<String>,
    /// One entry per distinct embedded post or widget, in page order.
    pub embeds: Vec<EmbedRef>,
    pub remnants: Vec<Remnant>,
}

/// Find every embed and remnant in article HTML. `base_url` resolves relative and
/// protocol-relative URLs.
pub fn discover(_html: &str, _base_url: &Url) -> Discovery {
    Discovery::default()
}

/// Find remnants of broken embeds in plain text.
pub fn remnants_in_text(text: &str) -> Vec<Remnant> {
    remnant::find_remnants(text)
}
