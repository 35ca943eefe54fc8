//! Which strings may stand as a post's language, where it becomes an HTML `lang` attribute: a
//! wrong `lang` changes how the text is read aloud and hyphenated, so anything that has not the
//! shape of a language tag is left out rather than passed on.

/// Whether `tag` has the shape of a BCP 47 language tag (`en`, `pt-BR`, `zh-Hant-TW`,
/// `es-419`): a primary subtag of 2-8 letters, then subtags of 1-8 letters or digits, joined by
/// single hyphens, nothing around them. The shape only: whether a platform's code names a
/// language at all (`und`, `zxx`, a private-use code) is the platform's to say.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked_for_shape() {
        // As platforms and pages name them, recorded ones included (`eng-US`, `spa-ES`).
        for ok in [
            "en",
            "es",
            "ja",
            "pt-BR",
            "en-GB",
            "en-us",
            "de-DE",
            "zh-Hant-TW",
            "es-419",
            "eng-US",
            "spa-ES",
        ] {
            assert!(is_language_tag(ok), "{ok}");
        }
        // Codes that name no language have the shape all the same: the platforms leave them out.
        for shaped in ["und", "zxx", "un", "qme"] {
            assert!(is_language_tag(shaped), "{shaped}");
        }
        for bad in [
            "",
            "e",
            "en_US",
            "en-",
            "-en",
            "en--US",
            " en",
            "en ",
            "toolonglang",
            "en-toolongsub",
            "en\"x",
            "1a",
            "<b>",
            "en\"><script>",
        ] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
