//! Entity tags: the one reading of `If-None-Match` for the routes that answer 304.

use axum::http::{HeaderMap, HeaderValue, header};
use bytes::Bytes;

/// `"tag"` as a header value, for a tag of hex digits (a digest). Hex digits and quotes are
/// visible ASCII, which a header value always accepts: the conversion cannot fail for the tags
/// made here, and there is no stand-in value that two answers could share.
pub(super) fn quoted(hex_tag: &str) -> HeaderValue {
    debug_assert!(hex_tag.bytes().all(|b| b.is_ascii_hexdigit()), "{hex_tag}");
    HeaderValue::from_maybe_shared(Bytes::from(format!("\"{hex_tag}\"")))
        .expect("quoted hex digits are a valid header value")
}

/// Whether an `If-None-Match` header names the entity tag `tag` (given without its quotes):
/// weak comparison, lists and `*` included.
pub(super) fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|given| {
            given == "*"
                || given
                    .strip_prefix("W/")
                    .unwrap_or(given)
                    .strip_prefix('"')
                    .and_then(|t| t.strip_suffix('"'))
                    == Some(tag)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_in_lists() {
        let sha = "b".repeat(64);
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                header::IF_NONE_MATCH,
                HeaderValue::from_str(v).expect("value"),
            );
            h
        };
        assert!(not_modified(&with(&format!("\"{sha}\"")), &sha));
        assert!(not_modified(&with(&format!("\"x\", W/\"{sha}\"")), &sha));
        assert!(not_modified(&with("*"), &sha));
        assert!(!not_modified(&with(&sha), &sha), "an ETag is quoted");
        assert!(!not_modified(&with("\"other\""), &sha));
        assert!(!not_modified(&HeaderMap::new(), &sha));
    }
}
