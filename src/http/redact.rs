//! Secrets kept out of what is written down about a request. Meta's Graph API takes its access
//! token in the query string (`…/instagram_oembed?access_token=TOKEN&url=…`), so every address
//! of such a request, and every message quoting one, holds the token: the debug log of each
//! request, the errors that name the address, the evidence kept with a check.

use std::borrow::Cow;
use std::sync::{LazyLock, PoisonError, RwLock};

use regex::Regex;

/// The secrets the process sends (each in the forms an address writes it), to find wherever
/// they stand: a server may hand a token back under another name (a redirect's
/// `?tok=…`), where no parameter name gives it away.
static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// The most secret forms kept: two tokens (Instagram's and Facebook's), three forms each, and
/// room to spare.
const MAX_SECRETS: usize = 32;

/// A secret shorter than this is not searched for (it would match ordinary text).
const MIN_SECRET_LEN: usize = 8;

/// Keep `secret` out of everything [`redact`] passes from now on: as it is, as a query string
/// writes it (`|` as `%7C`, a space as `+`), and as that is written again inside another
/// address (`%257C`).
pub fn register_secret(secret: &str) {
    if secret.len() < MIN_SECRET_LEN {
        return;
    }
    let query: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let nested: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
    let mut known = SECRETS.write().unwrap_or_else(PoisonError::into_inner);
    for form in [secret.to_owned(), query, nested] {
        if known.len() < MAX_SECRETS && !known.contains(&form) {
            known.push(form);
        }
    }
}

/// `text` with the value of every `access_token` parameter (plain or percent-encoded, as an
/// address inside another address writes it), and every registered secret wherever it stands
/// ([`register_secret`]), replaced by `REDACTED`.
pub fn redact(text: &str) -> Cow<'_, str> {
    static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(access_token(?:=|%3D))[^&\s#]*").expect("static regex is valid")
    });
    // Most text holds no token: it is returned as it is, without the regex's search.
    let named = text
        .as_bytes()
        .windows(b"access_token".len())
        .any(|w| w.eq_ignore_ascii_case(b"access_token"));
    let text = if named {
        TOKEN.replace_all(text, "${1}REDACTED")
    } else {
        Cow::Borrowed(text)
    };
    let known = SECRETS.read().unwrap_or_else(PoisonError::into_inner);
    if !known.iter().any(|secret| text.contains(secret.as_str())) {
        return text;
    }
    let mut out = text.into_owned();
    // Longest first: a secret's encoded form may hold another form of it.
    let mut forms: Vec<&String> = known.iter().collect();
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    for secret in forms {
        out = out.replace(secret.as_str(), "REDACTED");
    }
    Cow::Owned(out)
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

    /// A token handed back under another name (a redirect's `?tok=`), as it is, as a query
    /// writes it and as that is written inside another address.
    #[test]
    fn registered_secrets_are_replaced_in_every_form() {
        register_secret("EAAB|s3cr3tXq/tok+en=Zq9");
        register_secret("short");
        let text = "https://redir.example.com/o?tok=EAAB%7Cs3cr3tXq%2Ftok%2Ben%3DZq9&raw=EAAB|s3cr3tXq/tok+en=Zq9&n=EAAB%257Cs3cr3tXq%252Ftok%252Ben%253DZq9&s=short";
        assert_eq!(
            redact(text),
            "https://redir.example.com/o?tok=REDACTED&raw=REDACTED&n=REDACTED&s=short"
        );
    }
}
