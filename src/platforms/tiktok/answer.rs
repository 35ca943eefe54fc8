//! Small readers shared by the tiktok sources: blank-aware strings, lenient numbers, the raw
//! answer kept as evidence, and a short excerpt of an error body for evidence strings.

use crate::http::Response;
use crate::model::RawBody;

/// A number that providers send as a JSON number or a numeric string (TikTok sends `"100%"`
/// for the player size, which is no number at all).
pub(super) fn as_u32(value: &serde_json::Value) -> Option<u32> {
    match value {
        serde_json::Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `None` for missing or blank strings, so a blank field never counts as content.
pub(super) fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

/// The answer as evidence for the snapshot.
pub(super) fn raw_body(response: &Response) -> RawBody {
    RawBody {
        url: response.url.to_string(),
        content_type: response.content_type.clone(),
        bytes: response.body.to_vec(),
    }
}

/// The start of a short error body, for evidence strings.
pub(super) fn snippet(body: &[u8]) -> String {
    const MAX_CHARS: usize = 80;
    let text = String::from_utf8_lossy(body);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > MAX_CHARS {
        format!("{}…", collapsed.chars().take(MAX_CHARS).collect::<String>())
    } else {
        collapsed
    }
}
