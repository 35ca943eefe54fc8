//! instagram resolver: reads a post from its public sources and classifies each answer.

use crate::model::{EmbedRef, Resolution};
use crate::platforms::ResolveContext;

/// Resolve one instagram post.
pub async fn resolve(_ctx: &ResolveContext<'_>, _embed: &EmbedRef) -> Resolution {
    Resolution::Unsupported
}
