//! Secrets kept out of what is written down about a request. Meta's Graph API takes its access
//! token in the query string (`…/instagram_oembed?access_token=TOKEN&url=…`), so every address
//! of such a request, and every message quoting one, holds the token: the debug log of each
//! request, the errors that name the address, the evidence kept with a check.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// `text` with the value of every `access_token` parameter (plain or percent-encoded, as an
/// address inside another address writes it) replaced by `REDACTED`.
pub fn redact(text: &str) -> Cow<'_, str> {
    static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(access_token(?:=|%3D))[^&\s#]*").expect("static regex is valid")
    });
    // Most text holds no token: it is returned as it is, without the regex's search.
    if !text
        .as_bytes()
        .windows(b"access_token".len())
        .any(|w| w.eq_ignore_ascii_case(b"access_token"))
    {
        return Cow::Borrowed(text);
    }
    TOKEN.replace_all(text, "${1}REDACTED")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_wherever_they_stand() {
        for (text, want) in [
            (
                "https://graph.facebook.com/v8.0/instagram_oembed?access_token=SECRET&format=json",
                "https://graph.facebook.com/v8.0/instagram_oembed?access_token=REDACTED&format=json",
            ),
            (
                "timed out fetching https://x/?url=a&AcCeSs_ToKeN=123%7Cabc",
                "timed out fetching https://x/?url=a&AcCeSs_ToKeN=REDACTED",
            ),
            (
                "http://127.0.0.1:9/graph.facebook.com/x?u=https%3A%2F%2Fa%3Faccess_token%3DSECRET#f",
                "http://127.0.0.1:9/graph.facebook.com/x?u=https%3A%2F%2Fa%3Faccess_token%3DREDACTED#f",
            ),
        ] {
            assert_eq!(redact(text), want);
        }
        assert!(matches!(
            redact("https://x.com/a/status/1"),
            Cow::Borrowed(_)
        ));
    }
}
