//! Turning a response body into text: which character encoding, and decoding it without failing.
//!
//! Article pages still come in windows-1251, Shift_JIS or latin-1, and a page that declares
//! nothing is UTF-8 more often than not. The order is the one browsers use: a byte order mark,
//! then the `charset` of the Content-Type header, then a `<meta>` declaration near the start of
//! an HTML document, then UTF-8. Decoding never fails: bytes that do not decode become U+FFFD.

use encoding_rs::{Encoding, UTF_8};

/// How far into an HTML body to look for a `<meta>` charset declaration (the HTML prescan limit).
const META_PRESCAN_BYTES: usize = 1024;

/// Decode `body` to text, given the response's Content-Type header value.
pub fn decode(body: &[u8], content_type: Option<&str>) -> String {
    let declared = content_type.and_then(charset_param).or_else(|| {
        // Only markup carries a <meta> declaration; a JSON answer that quotes one in a
        // string must not change how the JSON is read.
        let may_be_html = content_type.is_none_or(|ct| ct.to_ascii_lowercase().contains("html"));
        may_be_html.then(|| meta_charset(body)).flatten()
    });
    // `output_encoding` maps UTF-16 and `replacement` labels to what a document can actually
    // be decoded as once read this far (UTF-8), as the encoding standard requires.
    let encoding = declared.map_or(UTF_8, Encoding::output_encoding);
    // `decode` sniffs a BOM first and lets it win over the declared encoding.
    let (text, _used, _had_errors) = encoding.decode(body);
    text.into_owned()
}

/// The encoding named by a Content-Type header's `charset` parameter.
fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        Encoding::for_label(value.as_bytes())
    })
}

/// The encoding declared by the first `<meta charset=...>` or `<meta http-equiv="content-type"
/// content="...; charset=...">` in the first [`META_PRESCAN_BYTES`] of `body`.
fn meta_charset(body: &[u8]) -> Option<&'static Encoding> {
    let head = body[..body.len().min(META_PRESCAN_BYTES)].to_ascii_lowercase();
    memchr::memmem::find_iter(&head, b"<meta").find_map(|start| {
        let tag = &head[start + b"<meta".len()..];
        // `<metadata>` and friends are other elements.
        if !tag
            .first()
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            return None;
        }
        let end = memchr::memchr(b'>', tag).unwrap_or(tag.len());
        charset_in_tag(&tag[..end])
    })
}

/// The encoding named by a `charset=` inside one lower-cased `<meta ...>` tag. Covers both the
/// `charset` attribute and the `charset=` inside an http-equiv `content` value.
fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let mut rest = tag;
    while let Some(at) = memchr::memmem::find(rest, b"charset") {
        let after = &rest[at + b"charset".len()..];
        let after = trim_start(after);
        if let Some(value) = after.strip_prefix(b"=") {
            let value = trim_start(value);
            let value = value
                .strip_prefix(b"\"")
                .or_else(|| value.strip_prefix(b"'"))
                .unwrap_or(value);
            let end = value
                .iter()
                .position(|b| {
                    matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                })
                .unwrap_or(value.len());
            if let Some(encoding) = Encoding::for_label(&value[..end]) {
                return Some(encoding);
            }
        }
        rest = after;
    }
    None
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[skip..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{SHIFT_JIS, WINDOWS_1251, WINDOWS_1252};

    const RUSSIAN: &str = "Привет, мир! Новости дня";

    fn cp1251(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = WINDOWS_1251.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn windows_1251_from_the_content_type_header() {
        let body = cp1251(&format!("<html><body>{RUSSIAN}</body></html>"));
        let text = decode(&body, Some("text/html; charset=windows-1251"));
        assert_eq!(text, format!("<html><body>{RUSSIAN}</body></html>"));
        // Read as UTF-8 the same bytes would be mojibake.
        assert_ne!(decode(&body, Some("text/html")), text);
    }

    #[test]
    fn charset_declarations_in_the_head() {
        // (markup before the text, content type) → decoded as windows-1251
        let cases: &[(&str, Option<&str>)] = &[
            (r#"<meta charset="windows-1251">"#, Some("text/html")),
            (r#"<META CHARSET=cp1251>"#, None),
            (
                "<meta charset='windows-1251' />",
                Some("text/html; foo=bar"),
            ),
            (
                r#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">"#,
                Some("text/html"),
            ),
            (
                r#"<meta content='text/html;charset=windows-1251' http-equiv='content-type'>"#,
                None,
            ),
            (
                r#"<meta name="viewport" content="width=device-width"><meta charset="windows-1251">"#,
                Some("application/xhtml+xml"),
            ),
        ];
        for (meta, content_type) in cases {
            let page = format!("<!doctype html><html><head>{meta}</head><body>{RUSSIAN}</body>");
            let text = decode(&cp1251(&page), *content_type);
            assert_eq!(text, page, "{meta}");
        }
    }

    #[test]
    fn the_header_wins_over_meta_and_the_bom_wins_over_both() {
        let page = format!(r#"<meta charset="shift_jis"><p>{RUSSIAN}</p>"#);
        let body = cp1251(&page);
        assert_eq!(
            decode(&body, Some("text/html; charset=\"Windows-1251\"")),
            page
        );

        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(page.as_bytes());
        assert_eq!(
            decode(&with_bom, Some("text/html; charset=windows-1251")),
            page
        );
    }

    #[test]
    fn a_meta_declaration_past_the_prescan_window_is_ignored() {
        let page = format!(
            "<!-- {} --><meta charset=\"windows-1251\"><p>{RUSSIAN}</p>",
            "x".repeat(META_PRESCAN_BYTES)
        );
        let text = decode(&cp1251(&page), None);
        assert!(text.contains('\u{FFFD}'), "decoded as windows-1251 anyway");
    }

    #[test]
    fn json_bodies_ignore_quoted_meta_tags() {
        let json = r#"{"html":"<meta charset=\"windows-1251\">","title":"Grüße"}"#;
        assert_eq!(decode(json.as_bytes(), Some("application/json")), json);
    }

    #[test]
    fn invalid_utf8_becomes_replacement_characters() {
        let body = b"caf\xC3\xA9 \xFF\xFE broken \xE2\x82 end";
        let text = decode(body, Some("text/plain; charset=utf-8"));
        assert_eq!(text, "café \u{FFFD}\u{FFFD} broken \u{FFFD} end");
        assert_eq!(decode(body, None), text);
    }

    #[test]
    fn other_labels_resolve_through_encoding_rs() {
        let (sjis, _, _) = SHIFT_JIS.encode("日本語のニュース");
        assert_eq!(
            decode(&sjis, Some("text/html; charset=Shift_JIS")),
            "日本語のニュース"
        );
        let (latin, _, _) = WINDOWS_1252.encode("naïve façade");
        assert_eq!(
            decode(&latin, Some("text/html; charset=iso-8859-1")),
            "naïve façade"
        );
        // An unknown label falls back to UTF-8.
        assert_eq!(
            decode("ok ✓".as_bytes(), Some("text/html; charset=klingon")),
            "ok ✓"
        );
    }
}
